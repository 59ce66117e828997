import re

import pytest
from django.test import Client
from django.urls import reverse

from community import services as community_services
from community.models import Post, Thread
from moderation.models import ModerationAction
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client):
    client.force_login(ModeratorFactory())
    return client


def use_tool(client, thread, **data):
    return client.post(reverse("moderation:thread_tools", args=[thread.pk]), data, follow=True)


def events_on(client, thread):
    html = client.get(Thread.objects.get(pk=thread.pk).get_absolute_url()).content.decode()
    return html.count('data-testid="thread-event"'), html


def test_locking_with_a_reason_shows_an_event_line_and_stops_replies(moderator_client):
    thread = community.thread(title="Heated thread")
    use_tool(moderator_client, thread, tool="lock", reason="cooling off")
    count, html = events_on(moderator_client, thread)
    assert count == 1 and "Locked by the moderators: cooling off" in html
    thread.refresh_from_db()
    assert thread.is_locked


def test_moving_says_from_where_to_where(moderator_client):
    thread = community.thread(title="About insurance", forum_slug="newly-diagnosed")
    target = community.forum("insurance-and-costs", name="Insurance and costs")
    use_tool(moderator_client, thread, tool="move", forum=target.pk, reason="better fit")
    _, html = events_on(moderator_client, thread)
    assert "Moved by the moderators: from Newly diagnosed to Insurance and costs — better fit" in html


def test_renaming_shows_the_old_title_to_moderators_only(moderator_client):
    # A rename often removes a child's name: it must not come back in the public event line.
    thread = community.thread(title="Help for Sam Jones")
    use_tool(moderator_client, thread, tool="rename", title="Sudden tics after strep", reason="removed Sam's name")
    thread.refresh_from_db()
    assert thread.title == "Sudden tics after strep"
    count, html = events_on(moderator_client, thread)
    assert count == 1 and "Renamed by the moderators (it was “Help for Sam Jones”): removed Sam" in html
    count, public = events_on(Client(), thread)
    assert count == 1 and "Renamed by the moderators" in public and "Sam" not in public
    entry = ModerationAction.objects.get(action=ModerationAction.Action.THREAD_RENAME)
    assert entry.target_description == "Help for Sam Jones"


def test_splitting_moves_the_chosen_replies_into_a_new_thread(moderator_client):
    thread = community.thread(title="IVIG and school")
    _kept, *moved = community.replies(thread, 3, author=UserFactory())
    response = use_tool(
        moderator_client, thread, tool="split", title="School accommodations", posts=[p.pk for p in moved]
    )
    new = Thread.objects.get(title="School accommodations")
    assert response.redirect_chain[-1][0] == new.get_absolute_url()
    assert list(new.posts.values_list("pk", flat=True)) == [p.pk for p in moved]
    assert Post.objects.get(pk=moved[0].pk).is_opening
    thread.refresh_from_db()
    new.refresh_from_db()
    assert (thread.reply_count, new.reply_count) == (1, 1)
    assert "2 replies split off into “School accommodations”" in events_on(moderator_client, thread)[1]
    assert "split from “IVIG and school”" in events_on(moderator_client, new)[1]


def test_the_public_reads_a_split_without_the_other_title_and_a_link_only_to_a_public_thread(moderator_client):
    thread = community.thread(title="About Lily at Maplewood")
    moved = community.replies(thread, 2)
    use_tool(moderator_client, thread, tool="split", title="School accommodations", posts=[p.pk for p in moved])
    new = Thread.objects.get(title="School accommodations")
    public = events_on(Client(), new)[1]
    assert "Split from another thread" in public and "Lily" not in public
    assert f'href="{thread.get_absolute_url()}"' in public
    # Once the original's opening post is hidden, the public line no longer links to it.
    community_services.hide_post(moderator=None, post=thread.posts.get(is_opening=True), reason="names a child")
    public = events_on(Client(), new)[1]
    assert "Split from another thread" in public and f'href="{thread.get_absolute_url()}"' not in public


def test_a_split_without_a_title_keeps_the_choice_and_says_what_is_missing(moderator_client):
    thread = community.thread(title="Long thread")
    reply = community.replies(thread, 1)[0]
    response = use_tool(moderator_client, thread, tool="split", title="", posts=[reply.pk], reason="off topic")
    html = response.content.decode()
    assert "Give the thread a title of at least 5 characters." in html
    assert 'value="off topic"' in html
    assert re.search(rf'<input type="checkbox" name="posts" value="{reply.pk}"[^>]* checked', html)
    assert Thread.objects.count() == 1


def test_thread_tools_refuse_members(client):
    thread = community.thread()
    client.force_login(UserFactory())
    assert client.post(reverse("moderation:thread_tools", args=[thread.pk]), {"tool": "lock"}).status_code == 403
    thread.refresh_from_db()
    assert not thread.is_locked


def test_event_lines_cost_one_query_whatever_their_number(moderator_client):
    from tests.support.queries import count_queries

    thread = community.thread(title="Busy thread")
    use_tool(moderator_client, thread, tool="pin")
    one = count_queries(moderator_client, Thread.objects.get(pk=thread.pk).get_absolute_url())
    for tool in ("unpin", "lock", "unlock", "pin"):
        use_tool(moderator_client, thread, tool=tool)
    assert count_queries(moderator_client, Thread.objects.get(pk=thread.pk).get_absolute_url()) == one


def test_a_new_title_with_a_line_break_is_refused(moderator_client):
    thread = community.thread(title="Sudden tics")
    use_tool(moderator_client, thread, tool="rename", title="Sudden tics\r\nBcc: someone", reason="")
    thread.refresh_from_db()
    assert thread.title == "Sudden tics"


def test_the_move_tools_forum_is_not_marked_optional(moderator_client):
    thread = community.thread()
    html = moderator_client.get(reverse("moderation:thread_tools", args=[thread.pk])).content.decode()
    move = html.split('id="move-heading"')[1].split("</form>")[0]
    assert "Move to" in move and "(optional)" not in move
