"""Community pages, by group (community/urls.py maps each URL to its view):

- `forums.py`: the forum index, a forum's threads, a thread, a new thread, a reply;
- `posts.py`: editing, deleting, a post's history, reactions;
- `stories.py`: experience stories, a new story, a story's update, the outcomes;
- `members.py`: notifications, email settings, following a thread (and the mailed unfollow link),
  a member's profile;
- `compose.py`: what every compose page shares: nothing typed is lost (kept through a login,
  shown back on a refusal), privacy warnings, the "posted" message;
- `lookups.py`: the thread or post a URL names, as the visitor may see it (404 otherwise).
"""
