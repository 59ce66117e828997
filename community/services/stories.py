"""Experience stories: sharing one (a thread in the stories forum opened by its narrative), adding the
later figures, and reminding the author when they are due (`Story.REMINDERS`)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import emails
from community.models import Forum, Post, Story
from community.permissions import NotAllowed
from community.services.derived import index_for_search
from community.services.threads import create_thread
from portal import outbox, pagetopics
from portal.pagecache import changes_public_pages

STORY_UPDATE_FIELDS = ("severity_1_month", "severity_3_months", "severity_6_months", "side_effects", "insurance")


@changes_public_pages(pages=pagetopics.of_story)
@transaction.atomic
def create_story(*, author: User, title: str, narrative: str, **figures) -> Story:
    """A story: a thread in "Recovery stories" whose opening post is the narrative, with its figures."""
    forum = Forum.objects.get(slug=Forum.STORIES_SLUG)
    thread = create_thread(author=author, forum=forum, title=title, body=narrative)
    post = thread.opening
    story = Story.objects.create(post=post, **figures)
    index_for_search(post)
    return story


@transaction.atomic
def send_story_reminder(*, story_id: int) -> bool:
    """Ask a story's author, once per time point, to add how things are now. Idempotent."""
    story = Story.objects.select_for_update().select_related("post__author", "post__thread").get(pk=story_id)
    if story.reminders_sent >= len(Story.REMINDERS):
        return False
    months, figure = Story.REMINDERS[story.reminders_sent]
    if timezone.now() - story.created_at < timedelta(days=months * Story.DAYS_PER_MONTH):
        return False
    story.reminders_sent += 1
    story.save(update_fields=["reminders_sent"])
    if getattr(story, figure) is None and story.post.author.is_active:
        outbox.enqueue_email(emails.STORY_REMINDER, f"{story.pk}:{months}", [story.post.author.email])
        return True
    return False


@changes_public_pages(pages=pagetopics.of_story)
@transaction.atomic
def update_story(*, author: User, story: Story, **figures) -> Story:
    """Add the later figures (1, 3 and 6 months) or correct them. Only the story's author can."""
    if story.post.author_id != author.pk:
        raise NotAllowed("Only the person who shared this story can update it.")
    if story.post.visibility == Post.Visibility.DELETED:
        raise NotAllowed("This story was deleted and can no longer be updated.")
    for name, value in figures.items():
        if name not in STORY_UPDATE_FIELDS:
            raise ValueError(f"{name} cannot be updated")
        setattr(story, name, value)
    story.save()
    return story
