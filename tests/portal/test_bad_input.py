"""Bad input never gives a 500: every URL, every query parameter and form field, a hostile corpus."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory
from tests.articles.factories import make_article
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

CORPUS = [
    "\x00",
    "a\x00b\x01\x08\x0b\x1b\x7f",
    "x" * 20_000,
    "a'b",
    "children's !:*&|()<>'\\\"",
    "-1",
    "99999999999999999999",
    "\r\n\t",
    "\u202eé\u200b\u3164",
]
# Query strings no form would send: bad percent-escapes, empty names, a NUL, a lone surrogate.
MALFORMED_QUERY_STRINGS = ["q=%zz&&=&%00=%00", "q=%ED%A0%80&page=%FF", "school_q&school=&page=-1&post=x"]
# Query parameters the views read, besides the fields of the forms the pages show.
QUERY_PARAMETERS = ["q", "school_q", "school", "page", "post", "quote", "treatment", "next", "moderator", "member"]
# The admin is Django's own and staff-only; its login is allauth's, which is walked here.
SKIPPED_PREFIXES = ("admin/",)
FIELD_NAME = re.compile(r"<(?:input|textarea|select)\b[^>]*\bname=\"([^\"]+)\"")
# A route's <converter:name>, or a regular expression's (?P<name>…) group.
PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif not route.startswith(SKIPPED_PREFIXES):
            yield route


@pytest.fixture
def urls():
    """Every URL of the site, its arguments taken from real objects (or a made-up value)."""
    member = UserFactory()
    thread = community.thread(author=member)
    post = thread.posts.first()
    story = community.story(author=member)
    article = make_article()
    school = SchoolFactory()
    report = ExposureReportFactory(school=school, reporter=member)
    subscription = SubscriptionFactory(school=school)

    def value(route: str, name: str) -> str:
        by_route = {
            ("articles/", "slug"): article.slug,
            ("community/t/", "pk"): thread.pk,
            ("community/t/", "slug"): thread.slug,
            ("community/stories/", "pk"): story.pk,
            ("community/members/", "pk"): member.pk,
            ("community/", "slug"): thread.forum.slug,
            ("alerts/schools/", "slug"): school.slug,
            ("alerts/report/", "pk"): report.pk,
            ("alerts/my/", "pk"): subscription.pk,
        }
        by_name = {"post_id": post.pk, "report_id": report.pk, "thread_id": thread.pk}
        for (start, kwarg), found in by_route.items():
            if route.startswith(start) and kwarg == name:
                return str(found)
        return str(by_name.get(name, "1"))

    found = []
    for route in _routes(get_resolver().url_patterns):
        found.append("/" + PLACEHOLDER.sub(lambda m, route=route: value(route, m.group(2) or m.group(3)), route))
    assert f"/community/t/{thread.pk}/{thread.slug}/" in found
    return found


def _field_names(client: Client, urls: list[str]) -> list[str]:
    names = set(QUERY_PARAMETERS)
    for url in urls:
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            names.update(FIELD_NAME.findall(response.content.decode(errors="replace")))
    return sorted(names - {"csrfmiddlewaretoken"})


def _fuzz(client: Client, urls: list[str], login=None) -> list[str]:
    names = _field_names(client, urls)
    errors = []
    for url in urls:
        if login:
            login()
        for query_string in MALFORMED_QUERY_STRINGS:
            response = client.get(url, QUERY_STRING=query_string)
            if response.status_code >= 500:
                errors.append(f"GET {url}?{query_string}: {response.status_code}")
        for value in CORPUS:
            data = dict.fromkeys(names, value)
            for method in (client.get, client.post):
                response = method(url, data)
                if response.status_code >= 500:
                    errors.append(f"{method.__name__.upper()} {url} {value[:20]!r}: {response.status_code}")
    return errors


def test_no_url_answers_500_to_hostile_input_from_a_visitor(urls):
    client = Client(raise_request_exception=False)
    assert _fuzz(client, urls) == []


def test_no_url_answers_500_to_hostile_input_from_a_moderator(urls):
    client = Client(raise_request_exception=False)
    moderator = ModeratorFactory()
    client.force_login(moderator)
    assert _fuzz(client, urls, login=lambda: client.force_login(moderator)) == []


def test_a_nul_in_a_search_is_dropped_and_the_rest_of_the_words_kept(client):
    response = client.get("/search/", {"q": "tonsil\x00s"})
    assert response.status_code == 200
    assert response.context["query"] == "tonsils"
