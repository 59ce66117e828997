"""The header's staff links: "Moderation (N)" for moderators, "Editorial admin" for editors; nothing,
and no query, for anyone else."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from alerts import services as alert_services
from community import services as community_services
from moderation import services
from moderation.models import Flag
from moderation.selectors import QUEUE_SIZE
from tests.alerts.factories import ExposureReportFactory, SchoolContactFactory
from tests.articles.factories import editor
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/articles/"  # any page with the site header


def moderation_link(client) -> str | None:
    """The header's moderation link as it reads aloud: the bracketed number is for the eyes only."""
    html = client.get(PAGE).content.decode()
    found = re.search(r'<a href="/moderation/" data-testid="moderation-link">(.*?)</a>', html)
    if found is None:
        return None
    heard = re.sub(r'<span aria-hidden="true"[^>]*>.*?</span>', "", found.group(1))
    return re.sub(r"<[^>]+>", "", heard)


def editorial_link(client) -> bool:
    return reverse("admin:articles_article_changelist") in client.get(PAGE).content.decode()


def flagged_post():
    post = community.replies(community.thread(), 1)[0]
    services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.SPAM)
    return post


def test_a_moderator_sees_how_many_items_wait_and_the_number_follows_the_queue(client):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    assert moderation_link(client) == "Moderation 0 items waiting"

    post = flagged_post()
    assert moderation_link(client) == "Moderation 1 item waiting"
    held = community.replies(community.thread(), 1)[0]
    community_services.hold_post(moderator=None, post=held, reason="First post")
    report = ExposureReportFactory()
    SchoolContactFactory(status="requested", verified_at=None)
    assert moderation_link(client) == "Moderation 4 items waiting"
    assert len(client.get(reverse("moderation:queue")).context["items"]) == 4

    services.approve(moderator=moderator, post=post)
    alert_services.reject_report(report=report, moderator=moderator, reason="Not a strep case")
    assert moderation_link(client) == "Moderation 2 items waiting"


def test_the_number_is_seen_in_brackets_and_heard_in_words(client):
    client.force_login(ModeratorFactory())
    flagged_post()
    html = client.get(PAGE).content.decode()
    assert (
        'Moderation <span aria-hidden="true" data-testid="moderation-count">(1)</span>'
        '<span class="visually-hidden">1 item waiting</span></a>'
    ) in html


@pytest.mark.parametrize(
    "who",
    ["anonymous", "member", "moderator without two-factor", "editor"],
)
def test_nobody_but_a_moderator_with_two_factor_sees_the_moderation_link(client, who):
    flagged_post()
    if who == "member":
        client.force_login(UserFactory())
    elif who == "moderator without two-factor":
        client.force_login(UserFactory(roles=[Role.MODERATOR], two_factor=False))
    elif who == "editor":
        client.force_login(editor())
    assert moderation_link(client) is None
    assert "/moderation/" not in client.get(PAGE).content.decode()


def test_an_editor_sees_the_editorial_admin_link_and_no_one_else_does(client):
    assert not editorial_link(client)
    for other in (UserFactory(), ModeratorFactory(), UserFactory(roles=[Role.EDITOR], two_factor=False)):
        client.force_login(other)
        assert not editorial_link(client)
    client.force_login(editor())
    html = client.get(PAGE).content.decode()
    assert '<a href="/admin/articles/article/" data-testid="editorial-link">Editorial admin</a>' in html


def captured(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def test_the_staff_links_cost_a_plain_member_no_query(client):
    """The roles come with the user in one query; nothing asks about two-factor or the queue."""
    client.force_login(UserFactory())
    queries = captured(client, PAGE)
    assert not [sql for sql in queries if "auth_group" in sql and "accounts_user" not in sql]
    assert not [sql for sql in queries if "mfa_authenticator" in sql or "moderation_flag" in sql]
    assert len([sql for sql in queries if 'FROM "accounts_user"' in sql]) == 1


def test_a_moderator_pays_two_queries_for_the_header_two_factor_and_the_count(client):
    client.force_login(UserFactory())
    member_queries = len(captured(client, PAGE))
    client.force_login(ModeratorFactory())
    moderator_queries = captured(client, PAGE)
    assert len(moderator_queries) == member_queries + 2
    assert len([sql for sql in moderator_queries if "UNION ALL" in sql]) == 1


def test_when_more_wait_than_the_queue_shows_the_queue_says_how_many(client):
    client.force_login(ModeratorFactory())
    for post in community.replies(community.thread(), QUEUE_SIZE + 2):
        community_services.hold_post(moderator=None, post=post, reason="Walk")
    html = client.get(reverse("moderation:queue")).content.decode()
    assert f"The first {QUEUE_SIZE} of {QUEUE_SIZE + 2} items waiting" in html
    assert f"({QUEUE_SIZE + 2})</span>" in html  # the header's number is the same count
