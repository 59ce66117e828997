"""Every Atom feed of the site is valid Atom (RFC 4287), as a feed validator would judge it.

The Nu HTML checker cannot read feeds: feedparser parses each one strictly (a "bozo" feed fails), and
the elements Atom requires are checked on the XML itself: the feed's id, title and updated; each
entry's id (an IRI: an absolute URL or a tag: URI), title, updated, and an author (its own or the
feed's).
"""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest
from django.urls import reverse

from alerts.models import ExposureReport
from alerts.services import approve_report
from tests.alerts.factories import SchoolFactory, last_week
from tests.articles.factories import make_article
from tests.community import factories as community_factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def is_iri(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme == "tag":
        return "," in parts.path and ":" in parts.path
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def atom_faults(xml: bytes) -> list[str]:
    """What the feed lacks of Atom's required elements, in words."""
    faults = []
    parsed = feedparser.parse(xml)
    if parsed.bozo:
        faults.append(f"not well-formed: {parsed.bozo_exception}")
    root = ET.fromstring(xml)  # noqa: S314 - our own server's output, in a test
    if root.tag != f"{ATOM}feed":
        return [*faults, f"the root is {root.tag}, not an Atom feed"]
    for name in ("id", "title", "updated"):
        if root.find(f"{ATOM}{name}") is None:
            faults.append(f"the feed has no <{name}>")
    feed_id = root.findtext(f"{ATOM}id") or ""
    if feed_id and not is_iri(feed_id):
        faults.append(f"the feed id {feed_id!r} is not an IRI")
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    entries = root.findall(f"{ATOM}entry")
    for number, entry in enumerate(entries, 1):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        if not is_iri(entry_id):
            faults.append(f"entry {number}: id {entry_id!r} is not an IRI (an absolute URL or a tag: URI)")
        for name in ("title", "updated"):
            if entry.find(f"{ATOM}{name}") is None:
                faults.append(f"entry {number} has no <{name}>")
        if entry.find(f"{ATOM}author/{ATOM}name") is None and not feed_has_author:
            faults.append(f"entry {number} has no author, nor has the feed")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    if len(set(ids)) != len(ids):
        faults.append("two entries share an id")
    return faults


def feed(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml"), url
    return response.content


def test_the_articles_feed_is_valid_atom(client):
    make_article(title="Strep and PANDAS")
    make_article(title="IVIG explained")

    xml = feed(client, reverse("articles:feed"))

    assert len(feedparser.parse(xml).entries) == 2
    assert atom_faults(xml) == []


def test_a_forum_feed_is_valid_atom(client):
    thread = community_factories.thread(title="Where do we start?", body="Our son is **7**.")
    community_factories.thread(title="Second thread")

    xml = feed(client, reverse("community:forum_feed", kwargs={"slug": thread.forum.slug}))

    assert len(feedparser.parse(xml).entries) == 2
    assert atom_faults(xml) == []


def test_a_school_feed_with_alerts_is_valid_atom(client):
    school = SchoolFactory()
    moderator = ModeratorFactory()
    start, end = last_week()
    for _ in range(2):
        report = ExposureReport.objects.create(
            school=school, kind="strep", window_start=start, window_end=end, reporter=UserFactory()
        )
        approve_report(report=report, moderator=moderator)

    xml = feed(client, reverse("alerts:school_feed", kwargs={"slug": school.slug}))

    assert len(feedparser.parse(xml).entries) >= 1
    assert atom_faults(xml) == []


def test_the_checker_finds_an_entry_without_an_iri_or_an_author():
    xml = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>T</title><id>http://example.org/</id><updated>2026-01-01T00:00:00Z</updated>"
        b"<entry><title>E</title><id>school-2026-W01</id><updated>2026-01-01T00:00:00Z</updated></entry></feed>"
    )

    assert atom_faults(xml) == [
        "entry 1: id 'school-2026-W01' is not an IRI (an absolute URL or a tag: URI)",
        "entry 1 has no author, nor has the feed",
    ]
