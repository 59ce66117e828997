"""Moderator and staff powers need two-factor: the role alone, with a password, grants none of them.

For each power a moderator without an authenticator is refused and one with TOTP succeeds.
"""

import io

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import urlencode

from accounts.roles import Role
from alerts import services as alert_services
from alerts.models import ExposureReport, SchoolContact
from community import services as community_services
from community.models import Post
from community.permissions import NotAllowed
from moderation import policy
from tests.alerts.factories import ExposureReportFactory, SchoolContactFactory
from tests.community import factories as community
from tests.factories import DEFAULT_PASSWORD, ModeratorFactory, UserFactory, enable_two_factor, totp_code

pytestmark = pytest.mark.django_db

SETUP = reverse("mfa_activate_totp")


def role_only_moderator(**fields):
    return UserFactory(roles=[Role.MODERATOR], two_factor=False, **fields)


def setup_url(next_path: str) -> str:
    return f"{SETUP}?{urlencode({'next': next_path})}"


def test_the_role_alone_is_no_authority_and_two_factor_makes_it_one():
    moderator = role_only_moderator()
    assert moderator.holds_moderator_role and not moderator.is_moderator
    enable_two_factor(moderator)
    assert moderator.is_moderator


def test_the_same_holds_for_editors_reviewers_and_superusers():
    editor = UserFactory(roles=[Role.EDITOR], is_staff=True, two_factor=False)
    reviewer = UserFactory(roles=[Role.MEDICAL_REVIEWER], is_staff=True, two_factor=False)
    superuser = UserFactory(is_staff=True, is_superuser=True, two_factor=False)
    assert not (editor.is_editor or reviewer.is_medical_reviewer or superuser.is_moderator)
    for user in (editor, reviewer, superuser):
        enable_two_factor(user)
    assert editor.is_editor and reviewer.is_medical_reviewer and superuser.is_moderator


def test_every_app_refuses_moderator_powers_with_the_one_check_in_accounts():
    from django.contrib.auth.models import AnonymousUser

    from accounts import authority
    from alerts.services import contacts, reports
    from community import access as community_access

    assert community_access.require_moderator is authority.require_moderator
    assert contacts.require_moderator is reports.require_moderator is authority.require_moderator
    for nobody in (AnonymousUser(), UserFactory(), role_only_moderator()):
        # Community's views show a NotAllowed's words; the admin and alerts' pages catch PermissionDenied.
        with pytest.raises(NotAllowed, match=r"^Only moderators with two-factor authentication can do that\.$"):
            authority.require_moderator(nobody)
        with pytest.raises(PermissionDenied, match="authentication approve exposure reports"):
            authority.require_moderator(nobody, "approve exposure reports")
    authority.require_moderator(ModeratorFactory())


# --- Another member's post: edit and delete -------------------------------------------------------


def test_editing_another_members_post_needs_two_factor_in_the_service():
    post = community.thread(body="Our son has tics").posts.get()
    with pytest.raises(NotAllowed):
        community_services.edit_post(editor=role_only_moderator(), post=post, body="Taken over")
    community_services.edit_post(editor=ModeratorFactory(), post=post, body="Removed a surname")
    post.refresh_from_db()
    assert post.body == "Removed a surname"


def test_deleting_another_members_post_needs_two_factor_in_the_service():
    post = community.thread().posts.get()
    with pytest.raises(NotAllowed):
        community_services.delete_post(actor=role_only_moderator(), post=post)
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.VISIBLE
    community_services.delete_post(actor=ModeratorFactory(), post=post)
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.DELETED


def test_editing_and_deleting_another_members_post_by_url_needs_two_factor(client):
    post = community.thread(body="Our son has tics").posts.get()
    edit, delete = f"/community/posts/{post.pk}/edit/", f"/community/posts/{post.pk}/delete/"
    client.force_login(role_only_moderator())
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"body": "Taken over"}).status_code == 404
    assert client.post(delete).status_code == 404
    post.refresh_from_db()
    assert (post.body, post.visibility) == ("Our son has tics", Post.Visibility.VISIBLE)

    client.force_login(ModeratorFactory())
    assert client.get(edit).status_code == 200
    assert client.post(delete).status_code == 302
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.DELETED


# --- Held and hidden bodies, earlier revisions ----------------------------------------------------


def test_held_and_hidden_bodies_on_a_thread_page_need_two_factor(client):
    thread = community.thread(body="Opening words")
    held, hidden = community.replies(thread, 2)
    for post, words in ((held, "Held words about Lily"), (hidden, "Hidden words about Jacob")):
        Post.objects.filter(pk=post.pk).update(body_html=f"<p>{words}</p>")
    community_services.hold_post(moderator=None, post=held, reason="First posts wait")
    community_services.hide_post(moderator=None, post=hidden, reason="Names a child")

    client.force_login(role_only_moderator())
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Opening words" in html
    assert "Held words about Lily" not in html and "Hidden words about Jacob" not in html
    assert reverse("moderation:thread_tools", args=[thread.pk]) not in html

    client.force_login(ModeratorFactory())
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Held words about Lily" in html and "Hidden words about Jacob" in html


def test_another_members_earlier_revisions_need_two_factor(client):
    author = UserFactory()
    post = community.thread(author=author, body="Our son Sam Jones has tics").posts.get()
    community_services.edit_post(editor=author, post=post, body="Our son has tics")
    url = f"/community/posts/{post.pk}/history/"

    client.force_login(role_only_moderator())
    html = client.get(url).content.decode()
    assert "Our son has tics" in html and "Sam Jones" not in html

    client.force_login(ModeratorFactory())
    assert "Sam Jones" in client.get(url).content.decode()


# --- Alerts: audit, reports, school contacts ------------------------------------------------------


def test_the_alerts_audit_sends_a_moderator_without_two_factor_to_set_it_up(client):
    client.force_login(UserFactory())
    assert client.get("/alerts/audit/").status_code == 403

    client.force_login(role_only_moderator())
    response = client.get("/alerts/audit/")
    assert (response.status_code, response["Location"]) == (302, setup_url("/alerts/audit/"))

    client.force_login(ModeratorFactory())
    assert client.get("/alerts/audit/").status_code == 200


def test_the_alerts_audit_link_is_shown_only_to_moderators_with_two_factor(client):
    client.force_login(role_only_moderator())
    assert 'href="/alerts/audit/"' not in client.get("/alerts/my/").content.decode()
    client.force_login(ModeratorFactory())
    assert 'href="/alerts/audit/"' in client.get("/alerts/my/").content.decode()


def test_approving_and_rejecting_a_report_need_two_factor():
    report = ExposureReportFactory()
    for decide in (
        lambda moderator: alert_services.approve_report(report=report, moderator=moderator),
        lambda moderator: alert_services.reject_report(report=report, moderator=moderator),
    ):
        with pytest.raises(PermissionDenied, match="two-factor"):
            decide(role_only_moderator())
    report.refresh_from_db()
    assert report.status == ExposureReport.Status.PENDING
    alert_services.approve_report(report=report, moderator=ModeratorFactory())
    report.refresh_from_db()
    assert report.status == ExposureReport.Status.APPROVED


def test_deciding_a_report_from_the_queue_needs_two_factor(client):
    report = ExposureReportFactory()
    url = reverse("moderation:decide_report", args=[report.pk])
    client.force_login(role_only_moderator())
    assert client.post(url, {"decision": "approve"})["Location"].startswith(SETUP)
    report.refresh_from_db()
    assert report.status == ExposureReport.Status.PENDING
    client.force_login(ModeratorFactory())
    client.post(url, {"decision": "approve"})
    report.refresh_from_db()
    assert report.status == ExposureReport.Status.APPROVED


def test_verifying_and_revoking_a_school_contact_need_two_factor():
    contact = SchoolContactFactory(status=SchoolContact.Status.REQUESTED, verified_at=None)
    superuser_without = UserFactory(is_staff=True, is_superuser=True, two_factor=False)
    for user in (role_only_moderator(), superuser_without):
        with pytest.raises(PermissionDenied, match="two-factor"):
            alert_services.verify_contact(contact=contact, moderator=user)
        with pytest.raises(PermissionDenied, match="two-factor"):
            alert_services.revoke_contact(contact=contact, moderator=user)
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.REQUESTED
    alert_services.verify_contact(contact=contact, moderator=ModeratorFactory())
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.VERIFIED


def test_a_superuser_without_two_factor_cannot_verify_a_contact_in_the_admin(client):
    contact = SchoolContactFactory(status=SchoolContact.Status.REQUESTED, verified_at=None)
    action = {"action": "verify", helpers.ACTION_CHECKBOX_NAME: [contact.pk]}
    client.force_login(UserFactory(is_staff=True, is_superuser=True, two_factor=False))
    response = client.post("/admin/alerts/schoolcontact/", action)
    assert response["Location"].startswith(SETUP)
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.REQUESTED

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post("/admin/alerts/schoolcontact/", action)
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.VERIFIED


def test_a_staff_member_who_is_no_moderator_is_told_so_by_the_admin_action(client):
    """An editor allowed to edit contacts still may not verify one: a message, not a server error."""
    contact = SchoolContactFactory(status=SchoolContact.Status.REQUESTED, verified_at=None)
    editor = UserFactory(roles=[Role.EDITOR], is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_schoolcontact", "change_schoolcontact"]))
    client.force_login(editor)
    response = client.post(
        "/admin/alerts/schoolcontact/",
        {"action": "verify", helpers.ACTION_CHECKBOX_NAME: [contact.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Only moderators with two-factor authentication verify school contacts." in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.REQUESTED


# --- The moderation app and the posting policy ------------------------------------------------------


def test_the_moderation_queue_sends_a_moderator_without_two_factor_to_set_it_up(client):
    client.force_login(role_only_moderator())
    response = client.get("/moderation/")
    assert (response.status_code, response["Location"]) == (302, setup_url("/moderation/"))


def test_a_moderator_without_two_factor_is_pre_moderated_like_any_new_member(settings):
    settings.MODERATION_HOLD_FIRST_POSTS = 2
    assert policy.hold_reason(author=role_only_moderator(), text="Hello", earlier_posts=0)
    assert policy.hold_reason(author=ModeratorFactory(), text="Hello", earlier_posts=0) == ""


# --- The admin site -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"is_staff": True, "is_superuser": True},
        {"is_staff": True, "roles": [Role.EDITOR]},
        {"is_staff": True, "roles": [Role.MEDICAL_REVIEWER]},
    ],
    ids=["superuser", "editor", "reviewer"],
)
def test_staff_without_two_factor_are_sent_from_the_admin_to_set_it_up(client, fields):
    staff = UserFactory(two_factor=False, **fields)
    client.force_login(staff)
    for path in ("/admin/", "/admin/alerts/schoolcontact/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, setup_url(path))
    # The admin's own login page sends them the same way, then back to where they were going.
    response = client.get("/admin/login/?next=/admin/articles/article/")
    assert response["Location"] == setup_url("/admin/articles/article/")

    enable_two_factor(staff)
    assert client.get("/admin/").status_code == 200


def test_a_medical_review_in_the_admin_needs_two_factor():
    reviewer = UserFactory(roles=[Role.MEDICAL_REVIEWER], is_staff=True, two_factor=False)
    assert not reviewer.is_medical_reviewer  # the article services and the review page ask this


# --- Logging in ------------------------------------------------------------------------------------


def test_a_moderator_logs_in_with_password_and_code_then_opens_the_queue(client):
    moderator = ModeratorFactory(email="mod@example.org")
    response = client.post(reverse("account_login"), {"login": "mod@example.org", "password": DEFAULT_PASSWORD})
    # allauth asks for the authenticator's code at every login once one exists: no session yet.
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/moderation/")["Location"].startswith(reverse("account_login"))

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(moderator.totp_secret)})
    assert response.status_code == 302
    assert client.get("/moderation/").status_code == 200


def test_setting_up_two_factor_ends_the_sessions_opened_with_the_password_alone(
    client, django_user_model, django_capture_on_commit_callbacks
):
    from django.test import Client

    moderator = role_only_moderator(email="mod@example.org")
    password_only = Client()
    assert (
        password_only.post(
            reverse("account_login"), {"login": "mod@example.org", "password": DEFAULT_PASSWORD}
        ).status_code
        == 302
    )
    assert password_only.get("/accounts/me/").status_code == 200

    client.post(reverse("account_login"), {"login": "mod@example.org", "password": DEFAULT_PASSWORD})
    assert client.get(SETUP)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert client.get(SETUP).status_code == 200
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.status_code == 302

    assert client.get("/moderation/").status_code == 200
    assert password_only.get("/moderation/")["Location"].startswith(reverse("account_login"))
    assert django_user_model.objects.get(pk=moderator.pk).is_moderator


# --- Demo accounts ---------------------------------------------------------------------------------


def test_demo_staff_accounts_get_a_two_factor_key_printed_once(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", "--demo-users", stdout=out)
    call_command("seed_demo", "--demo-users", stdout=out)
    from accounts.models import User

    for email in ("moderator@example.org", "editor@example.org", "reviewer@example.org"):
        assert User.objects.get(email=email).has_two_factor
        assert out.getvalue().count(f"two-factor key for {email}") == 1
    assert not User.objects.get(email="parent@example.org").has_two_factor


@pytest.mark.parametrize(
    ("fields", "note"),
    [
        ({"roles": [Role.MODERATOR], "two_factor": False}, "required for moderators"),
        ({"roles": [Role.EDITOR], "is_staff": True, "two_factor": False}, "required for staff"),
    ],
)
def test_the_account_page_tells_staff_without_two_factor_that_they_need_it(client, fields, note):
    client.force_login(UserFactory(**fields))
    assert note in client.get(reverse("accounts:account")).content.decode()


def test_after_setting_up_two_factor_a_moderator_is_offered_the_way_back_to_the_queue(client):
    role_only_moderator(email="mod@example.org")
    client.post(reverse("account_login"), {"login": "mod@example.org", "password": DEFAULT_PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert client.get("/moderation/log/?action=post.hide")["Location"].startswith(SETUP)
    client.get(SETUP)
    response = client.post(SETUP, {"code": totp_code(client.session["mfa.totp.secret"])}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    html = response.content.decode()
    assert 'href="/moderation/log/?action=post.hide"' in html and "Continue to the page you asked for" in html
    assert client.get("/moderation/log/?action=post.hide").status_code == 200


def test_the_admin_login_never_sends_staff_on_to_another_site(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, two_factor=False))
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == setup_url("/")
