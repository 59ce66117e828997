import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db
DEMO_EMAILS = {"parent@example.org", "moderator@example.org", "editor@example.org", "reviewer@example.org"}


def test_demo_users_are_created_once_with_the_given_password(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "demo pass phrase 12")
    out = io.StringIO()
    call_command("seed_demo", "--demo-users", stdout=out)
    call_command("seed_demo", "--demo-users", stdout=out)
    assert set(User.objects.values_list("email", flat=True)) == DEMO_EMAILS
    assert User.objects.get(email="moderator@example.org").is_moderator
    assert User.objects.get(email="reviewer@example.org").is_medical_reviewer
    assert User.objects.get(email="parent@example.org").check_password("demo pass phrase 12")


def test_a_generated_password_is_printed_when_none_is_given(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("seed_demo", "--demo-users", stdout=out)
    password = out.getvalue().split("Demo password for new demo accounts: ")[1].split()[0]
    assert User.objects.get(email="editor@example.org").check_password(password)


def test_demo_users_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    assert not User.objects.exists()


def test_demo_content_is_published_under_the_real_posting_policy(settings):
    # Test runs relax moderation's policy (tests/conftest.py); `make run` does not.
    from community.models import Post
    from portal import settings as portal_settings

    settings.DEBUG = True
    settings.MODERATION_HOLD_FIRST_POSTS = portal_settings.MODERATION_HOLD_FIRST_POSTS
    settings.MODERATION_RATE_LIMITS = portal_settings.MODERATION_RATE_LIMITS
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    assert Post.objects.count() >= 9
    assert not Post.objects.exclude(visibility=Post.Visibility.VISIBLE).exists()


def test_the_demo_parent_can_start_a_thread_right_after_seeding(settings):
    # The seeded threads must not count against the demo parent's posting limits.
    from community import services
    from community.models import Forum
    from portal import settings as portal_settings

    settings.DEBUG = True
    settings.MODERATION_RATE_LIMITS = portal_settings.MODERATION_RATE_LIMITS
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    parent = User.objects.get(email="parent@example.org")
    forum = Forum.objects.get(slug="newly-diagnosed")
    services.create_thread(author=parent, forum=forum, title="My first real question", body="Where do we start?")


def test_the_demo_parent_gets_one_demo_journal_with_two_months_of_check_ins_and_events(settings, client):
    from django.urls import reverse

    from journal import story_figures
    from journal.events import title
    from journal.models import CheckIn, Child, Event

    settings.DEBUG = True
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())

    parent = User.objects.get(email="parent@example.org")
    child = Child.objects.get()  # seeded once
    assert list(child.caregiver_links.values_list("user", "role")) == [(parent.pk, "owner")]
    assert 50 <= CheckIn.objects.filter(child=child).count() <= 61
    found = {event.category: event for event in Event.objects.filter(child=child)}
    assert set(found) == {"infection", "treatment", "exposure", "appointment"}
    assert title(found["exposure"]).startswith("Strep reported at Maplewood Elementary School, Grade 2, week of")
    assert found["treatment"].details["kind"] == "antibiotic" and found["treatment"].end_date
    assert child.schools.count() == 1
    # The demo shows what the journal does: a flare after the infection, easing after the course.
    figures = story_figures.figures(child, found["treatment"])
    assert figures["treatment"] == "antibiotics" and figures["severity_before"] > figures["severity_1_month"]

    client.force_login(parent)
    for name in ("journal:child", "journal:timeline", "journal:report"):
        assert client.get(reverse(name, args=[child.pk])).status_code == 200


def test_no_demo_journal_without_the_demo_parent(settings):
    from journal.models import Child

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert not Child.objects.exists()
