from django.urls import path

from community import feeds
from community.views import forums, members, posts, stories
from portal.pagecache import cache_anonymous_page

app_name = "community"

urlpatterns = [
    path("", forums.index, name="index"),
    path("stories/", stories.stories, name="stories"),
    path("stories/new/", stories.new_story, name="new_story"),
    path("stories/outcomes/", stories.story_outcomes, name="outcomes"),
    path("stories/<int:pk>/update/", stories.update_story, name="update_story"),
    path("t/<int:pk>/reply/", forums.reply, name="reply"),
    path("t/<int:pk>/follow/", members.follow, name="follow"),
    path("t/<int:pk>/<slug:slug>/", forums.thread, name="thread"),
    path("posts/<int:post_id>/edit/", posts.edit_post, name="edit_post"),
    path("posts/<int:post_id>/delete/", posts.delete_post, name="delete_post"),
    path("posts/<int:post_id>/history/", posts.post_history, name="post_history"),
    path("posts/<int:post_id>/react/", posts.react, name="react"),
    path("notifications/", members.notifications, name="notifications"),
    path("settings/", members.member_settings, name="settings"),
    path("members/<int:pk>/", members.member, name="member"),
    path("unfollow/<str:token>/", members.unfollow_by_link, name="unfollow"),
    path("<slug:slug>/", forums.forum, name="forum"),
    path("<slug:slug>/new/", forums.new_thread, name="new_thread"),
    path("<slug:slug>/feed/", cache_anonymous_page(feeds.ForumFeed()), name="forum_feed"),
]
