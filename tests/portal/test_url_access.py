"""Every URL pattern of the site, for every role, for GET, HEAD and POST, answers as the table below says.

The table is the access contract of the whole portal in one place: who gets a page, who is sent to
log in, who is refused (403), who is told it does not exist (404), and which URLs are read-only (405
to a POST). A URL pattern added later without a row makes `test_url_answers_every_role_as_the_table_says`
fail with its name; the admin's patterns are covered by ADMIN_RULES. HEAD answers like GET, with an
empty body (one exception, Django's: the admin login sends a signed-in GET home, but not a HEAD).

Each URL is one test: its rows run in the test's own transaction (rolled back), over objects made
once for the module (`world`). POSTs carry no data (the test client skips the CSRF check), so a form
comes back with its errors and nothing is written; what a POST does write is rolled back.

"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from alerts import tokens
from alerts.models import ExposureReport, SchoolContact, Subscription
from articles import selectors as article_selectors
from articles import services as article_services
from articles.models import ReviewerProfile
from community import services as community_services
from community import tokens as community_tokens
from journal import services as journal_services
from journal import sharing as journal_sharing
from moderation.models import Suspension, WatchedWord
from tests.alerts.factories import SchoolFactory, last_week
from tests.articles import factories as article_factories
from tests.community import factories as community_factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db  # each URL's rows run in a transaction of their own, rolled back

# --- Roles -----------------------------------------------------------------------------------------

ANON = "anonymous"
MEMBER = "member"
OWNER = "owner"  # author of the thread, posts, story, report and subscriptions in the URLs
SUSPENDED = "suspended"
NEW = "new member"  # still under pre-moderation: their next post waits for a moderator
MOD = "moderator without authenticator"
MOD_2FA = "moderator with authenticator"
EDITOR = "editor"
REVIEWER = "medical reviewer"
SUPER = "superuser without authenticator"
ROLES = (ANON, MEMBER, OWNER, SUSPENDED, NEW, MOD, MOD_2FA, EDITOR, REVIEWER, SUPER)
SUPER_2FA = "superuser with authenticator"  # walked on the admin's pages only

# --- Outcomes ----------------------------------------------------------------------------------------
# A number is that status exactly. The words are redirects, told apart by where they lead.
LOGIN = "→ login"  # to the login page (ours or the admin's), with ?next=
MFA_SETUP = "→ two-factor setup"
REAUTH = "→ reauthenticate"
REDIRECT = "→ elsewhere"  # any other redirect


def classify(response) -> int | str:
    if response.status_code not in (301, 302, 303, 307, 308):
        return response.status_code
    location = response["Location"]
    if location.startswith((reverse("account_login"), reverse("admin:login"))):
        return LOGIN
    if location.startswith(reverse("mfa_activate_totp")):
        return MFA_SETUP
    if location.startswith(reverse("account_reauthenticate")):
        return REAUTH
    return REDIRECT


# --- Row builders ------------------------------------------------------------------------------------


def every(outcome, **by_role) -> dict:
    """`outcome` for every role, except those named (by their variable: member=..., mod_2fa=...)."""
    table = dict.fromkeys(ROLES, outcome)
    for name, value in by_role.items():
        table[ROLE_NAMES[name]] = value
    return table


ROLE_NAMES = {
    "anon": ANON,
    "member": MEMBER,
    "owner": OWNER,
    "suspended": SUSPENDED,
    "new": NEW,
    "mod": MOD,
    "mod_2fa": MOD_2FA,
    "editor": EDITOR,
    "reviewer": REVIEWER,
    "superuser": SUPER,
}


def signed_in(outcome, **by_role) -> dict:
    """Anonymous visitors are sent to log in; signed-in roles get `outcome` (unless named)."""
    return every(outcome, anon=LOGIN, **by_role)


def row(get, post) -> dict:
    """HEAD is always GET's twin (same status, empty body)."""
    get = get if isinstance(get, dict) else every(get)
    post = post if isinstance(post, dict) else every(post)
    return {"GET": get, "HEAD": get, "POST": post}


def read_only(get) -> dict:
    return row(get, 405)


def post_only(post, *, get=405) -> dict:
    return row(get, post)


# --- The table ---------------------------------------------------------------------------------------
# Keyed by URL name. A POST carries no data: a form answers 200 or 400 with its errors.

# Moderator pages: 403 for members; a moderator without an authenticator (and the superuser, who
# counts as a moderator) is sent to set one up.
MODERATOR_PAGE = signed_in(403, mod=MFA_SETUP, mod_2fa=200, superuser=MFA_SETUP)
MODERATOR_WRONG_METHOD = signed_in(403, mod=MFA_SETUP, mod_2fa=405, superuser=MFA_SETUP)
MODERATOR_ACTION = signed_in(403, mod=MFA_SETUP, mod_2fa=REDIRECT, superuser=MFA_SETUP)
# Writing in the community: suspended members are told why they cannot.
COMPOSE = row(signed_in(200, suspended=403), signed_in(400, suspended=403))
# The owner's post: its author and the moderators may edit or delete it; to anyone else it is missing.
OWN_POST_GET = signed_in(404, owner=200, mod_2fa=200)
SIGNED_OUT_ONLY = every(REDIRECT, anon=200)  # login and signup send a member home
# A child's journal: its caregiver gets the page (a form with its errors for an empty POST); moderators,
# editors and superusers, like any other member, are told it does not exist.
CAREGIVER_ONLY = signed_in(404, owner=200)

TABLE = {
    # portal
    "home": read_only(200),
    "healthz": read_only(200),
    "search": read_only(200),
    "about": read_only(200),
    "privacy": read_only(200),
    "community_rules": read_only(200),
    "help_now": read_only(200),
    "sitemap": read_only(200),
    "robots": read_only(200),
    "favicon": read_only(REDIRECT),
    # articles
    "articles:list": read_only(200),
    "articles:feed": read_only(200),
    "articles:detail": read_only(200),
    "articles:reviewer": read_only(200),  # a reviewer's public profile, linked from their badges
    # community: reading
    "community:index": read_only(200),
    "community:forum": read_only(200),
    "community:forum_feed": read_only(200),
    "community:thread": read_only(200),
    "community:post_history": read_only(200),
    "community:stories": read_only(200),
    "community:outcomes": read_only(200),
    "community:member": read_only(200),
    # community: writing
    "community:new_thread": COMPOSE,
    "community:reply": COMPOSE,
    "community:new_story": COMPOSE,
    "community:update_story": row(signed_in(404, owner=200), signed_in(404, owner=400)),
    # A suspended member is told why they cannot edit (what they sent is shown back).
    "community:edit_post": row(OWN_POST_GET | {SUSPENDED: 403}, signed_in(404, owner=400, mod_2fa=400, suspended=403)),
    "community:delete_post": row(OWN_POST_GET, signed_in(404, owner=REDIRECT, mod_2fa=REDIRECT)),
    "community:react": post_only(signed_in(400), get=signed_in(405)),  # no reaction chosen: 400
    "community:follow": post_only(signed_in(REDIRECT, suspended=403), get=signed_in(405)),
    "community:unfollow": row(200, 200),  # the signed token is the credential (one-click from mail)
    "community:notifications": row(signed_in(200), signed_in(REDIRECT)),
    "community:settings": row(signed_in(200), signed_in(200)),
    # moderation
    "moderation:queue": row(MODERATOR_PAGE, MODERATOR_WRONG_METHOD),
    "moderation:log": row(MODERATOR_PAGE, MODERATOR_WRONG_METHOD),
    "moderation:log_csv": row(MODERATOR_PAGE, MODERATOR_WRONG_METHOD),
    "moderation:watched_words": row(MODERATOR_PAGE, MODERATOR_PAGE),
    "moderation:thread_tools": row(MODERATOR_PAGE, MODERATOR_PAGE),
    "moderation:suppressions": row(MODERATOR_PAGE, MODERATOR_PAGE),  # an empty POST: the form with its errors
    "moderation:decide_post": post_only(MODERATOR_ACTION, get=MODERATOR_WRONG_METHOD),
    "moderation:decide_report": post_only(MODERATOR_ACTION, get=MODERATOR_WRONG_METHOD),
    "moderation:decide_contact": post_only(MODERATOR_ACTION, get=MODERATOR_WRONG_METHOD),
    "moderation:remove_watched_word": post_only(MODERATOR_ACTION, get=MODERATOR_WRONG_METHOD),
    "moderation:flag": row(signed_in(200, owner=404), signed_in(200, owner=404)),  # no flagging one's own post
    "moderation:guide": row(MODERATOR_PAGE, MODERATOR_WRONG_METHOD),
    "moderation:crisis_phrases": read_only(200),  # public: the compose pages' script shows help while typing
    "moderation:members": row(MODERATOR_PAGE, MODERATOR_WRONG_METHOD),
    "moderation:member": row(MODERATOR_PAGE, MODERATOR_WRONG_METHOD),
    # A member's actions: an empty form comes back with its errors (and "not suspended" for a lift).
    "moderation:member_warn": post_only(MODERATOR_PAGE, get=MODERATOR_WRONG_METHOD),
    "moderation:member_suspend": post_only(MODERATOR_PAGE, get=MODERATOR_WRONG_METHOD),
    "moderation:member_lift": post_only(MODERATOR_PAGE, get=MODERATOR_WRONG_METHOD),
    "moderation:member_ban": row(MODERATOR_PAGE, MODERATOR_PAGE),  # GET asks for confirmation
    # alerts
    "alerts:index": read_only(200),
    "alerts:school": read_only(200),
    "alerts:school_feed": read_only(200),
    "alerts:school_search": read_only(200),
    "alerts:subscribe": row(200, 200),
    "alerts:subscribe_sent": read_only(200),
    "alerts:confirm": row(200, 200),
    "alerts:confirm_add_school": post_only(200),
    "alerts:unsubscribe": row(200, 200),
    "alerts:manage": row(200, 200),
    "alerts:report": row(signed_in(200), signed_in(200)),
    "alerts:report_sent": row(signed_in(404, owner=200), signed_in(405)),
    "alerts:contact_request": row(signed_in(200), signed_in(200)),
    "alerts:my_alerts": row(signed_in(200), signed_in(405)),
    "alerts:my_subscription": post_only(signed_in(404, owner=REDIRECT), get=signed_in(405)),
    "alerts:audit": row(MODERATOR_PAGE, MODERATOR_WRONG_METHOD),
    # the email provider's webhooks (anymail's views): POST-only and CSRF-exempt as anymail makes them,
    # legitimately, since a provider cannot hold a CSRF token; they authenticate with basic auth
    # (ANYMAIL["WEBHOOK_SECRET"]) and Mailgun's signing key. Here no secret is set, so every call is
    # refused; tests/portal/test_email_webhooks.py walks them configured.
    **{
        f"email:{provider}_{kind}": row(403, 403)
        for provider in ("postmark", "mailgun", "sendgrid", "brevo", "amazon_ses")
        for kind in ("tracking", "inbound")
    },
    # a member's own account
    "accounts:account": row(signed_in(200), signed_in(200)),
    "accounts:export": row(signed_in(200), signed_in(200)),  # GET: the page; POST: the zip (small exports)
    "accounts:export_download": row(signed_in(404), signed_in(405)),  # a link that is not theirs: 404
    "accounts:logout": row(every(200, anon=REDIRECT), REDIRECT),  # ours: also clears the browser's drafts
    "accounts:delete": row(signed_in(REAUTH), signed_in(REAUTH)),  # asks for the password again first
    # allauth
    "account_login": row(SIGNED_OUT_ONLY, SIGNED_OUT_ONLY),
    "account_signup": row(SIGNED_OUT_ONLY, SIGNED_OUT_ONLY),
    "account_logout": row(every(200, anon=REDIRECT), REDIRECT),
    "account_inactive": read_only(200),
    "account_reauthenticate": row(signed_in(200), signed_in(200)),
    "account_email": row(signed_in(200), signed_in(REDIRECT)),
    "account_email_verification_sent": read_only(200),
    "accounts:email_verification_sent": read_only(200),  # ours, on allauth's path: names the address
    "account_confirm_email": row(200, 404),  # the address is already confirmed
    "account_change_password": row(signed_in(200), signed_in(200)),
    "account_set_password": row(signed_in(REDIRECT), signed_in(REDIRECT)),  # they have one
    "account_reset_password": row(200, 200),
    "account_reset_password_done": read_only(200),
    "account_reset_password_from_key": row(200, 200),
    "account_reset_password_from_key_done": read_only(200),
    "account_confirm_login_code": row(signed_in(REDIRECT), signed_in(REDIRECT)),
    "mfa_index": row(signed_in(200), signed_in(405)),
    "mfa_authenticate": row(signed_in(REDIRECT), signed_in(REDIRECT)),
    "mfa_reauthenticate": row(
        signed_in(REAUTH, mod_2fa=200, editor=200, reviewer=200),
        signed_in(REAUTH, mod_2fa=200, editor=200, reviewer=200),
    ),
    "mfa_activate_totp": row(signed_in(REAUTH), signed_in(REAUTH)),
    "mfa_deactivate_totp": row(
        signed_in(404, mod_2fa=REAUTH, editor=REAUTH, reviewer=REAUTH),
        signed_in(404, mod_2fa=REAUTH, editor=REAUTH, reviewer=REAUTH),
    ),
    "mfa_view_recovery_codes": row(signed_in(404), signed_in(405)),
    "mfa_generate_recovery_codes": row(signed_in(REAUTH), signed_in(REAUTH)),
    "mfa_download_recovery_codes": row(signed_in(404), signed_in(404)),
    "usersessions_list": row(signed_in(200), signed_in(REDIRECT)),
    # journal: the child's caregivers only (the owner's child here); to anyone else, staff included, it is not there
    "journal:home": row(signed_in(200), signed_in(405)),
    "journal:add_child": row(signed_in(200), signed_in(200)),
    "journal:reminders": row(signed_in(200), signed_in(200)),
    "journal:child": row(CAREGIVER_ONLY, signed_in(405)),
    "journal:edit_child": row(CAREGIVER_ONLY, CAREGIVER_ONLY),
    "journal:add_school": post_only(CAREGIVER_ONLY, get=signed_in(405)),
    "journal:remove_school": post_only(signed_in(404, owner=REDIRECT), get=signed_in(405)),
    "journal:check_in": row(CAREGIVER_ONLY, CAREGIVER_ONLY),
    "journal:timeline": row(CAREGIVER_ONLY, signed_in(405)),
    "journal:report": row(CAREGIVER_ONLY, signed_in(405)),
    "journal:report_pdf": row(CAREGIVER_ONLY, signed_in(405)),
    "journal:sharing": row(CAREGIVER_ONLY, signed_in(405)),  # the owner's page (other caregivers: 403)
    "journal:invite_caregiver": post_only(CAREGIVER_ONLY, get=signed_in(405)),
    "journal:revoke_invite": post_only(signed_in(404, owner=REDIRECT), get=signed_in(405)),
    "journal:remove_caregiver": post_only(signed_in(404, owner=REDIRECT), get=signed_in(405)),
    "journal:leave": post_only(signed_in(404, owner=REDIRECT), get=signed_in(405)),  # the owner is told they cannot
    "journal:create_share_link": post_only(CAREGIVER_ONLY, get=signed_in(405)),
    "journal:revoke_share_link": post_only(signed_in(404, owner=REDIRECT), get=signed_in(405)),
    # An invitation's signed link: any signed-in member may accept it (the inviter is told they cannot).
    "journal:invite": row(signed_in(200), signed_in(REDIRECT)),
    # A clinician's signed link: read only, no account needed.
    "journal:shared": read_only(200),
    "journal:shared_pdf": read_only(200),
    "journal:events": row(CAREGIVER_ONLY, signed_in(405)),
    "journal:story_figures": row(CAREGIVER_ONLY, signed_in(405)),  # a GET form; it sends to the story form
    "journal:add_event": row(CAREGIVER_ONLY, CAREGIVER_ONLY),
    "journal:delete_event": post_only(signed_in(404, owner=REDIRECT), get=signed_in(405)),
    "journal:exposure": post_only(signed_in(404, owner=REDIRECT), get=signed_in(405)),
}


# The same URL patterns again, pointing at objects that answer differently.
# The author and the moderators see what is held, hidden or members-only; the public does not.
AUTHOR_AND_MODERATORS = every(404, owner=200, mod_2fa=200)
VARIANTS = {
    "members-only forum": (
        "community:forum",
        lambda world: {"slug": world.members_forum.slug},
        read_only(signed_in(200)),
    ),
    "members-only forum feed": (
        "community:forum_feed",
        lambda world: {"slug": world.members_forum.slug},
        read_only(404),  # members-only forums have no feed
    ),
    "members-only thread": (
        "community:thread",
        lambda world: {"pk": world.members_thread.pk, "slug": world.members_thread.slug},
        read_only(signed_in(200)),
    ),
    "thread whose opening post is held": (
        "community:thread",
        lambda world: {"pk": world.held_thread.pk, "slug": world.held_thread.slug},
        read_only(AUTHOR_AND_MODERATORS),  # the public gets 404: the title must not leak
    ),
    "history of a held post": (
        "community:post_history",
        lambda world: {"post_id": world.held_post.pk},
        read_only(AUTHOR_AND_MODERATORS),
    ),
    "history of a hidden post": (
        "community:post_history",
        lambda world: {"post_id": world.hidden_post.pk},
        read_only(AUTHOR_AND_MODERATORS),  # hidden content reaches its author and moderators only
    ),
    # Others may not reply to a thread they cannot see: like a missing thread (a POST keeps its text).
    "reply to a held thread": (
        "community:reply",
        lambda world: {"pk": world.held_thread.pk},
        row(
            signed_in(404, owner=200, mod_2fa=200, suspended=403), signed_in(404, owner=400, mod_2fa=400, suspended=403)
        ),
    ),
    "react to a held post": (
        "community:react",
        lambda world: {"post_id": world.held_post.pk},
        post_only(signed_in(404), get=signed_in(405)),  # a post one may not react to answers like a missing one
    ),
    "flag a held post": (
        "moderation:flag",
        lambda world: {"post_id": world.held_post.pk},
        row(signed_in(404), signed_in(404)),  # only visible posts can be flagged: like a missing post
    ),
    # A suspended member may delete (not edit) their own posts; moderators may do both.
    "delete a suspended member's own post": (
        "community:delete_post",
        lambda world: {"post_id": world.suspended_post.pk},
        row(signed_in(404, suspended=200, mod_2fa=200), signed_in(404, suspended=REDIRECT, mod_2fa=REDIRECT)),
    ),
    "edit a suspended member's own post": (
        "community:edit_post",
        lambda world: {"post_id": world.suspended_post.pk},
        row(signed_in(404, mod_2fa=200, suspended=403), signed_in(404, mod_2fa=400, suspended=403)),
    ),
}


# --- The objects the URLs point at (made once) --------------------------------------------------------


class World:
    """The objects behind every URL argument, and a logged-in session per role."""


FAST = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "MODERATION_HOLD_FIRST_POSTS": 0,
    "MODERATION_RATE_LIMITS": {
        group: {action: [(10_000, 60)] for action in ("post", "thread", "edit")} for group in ("member", "new_member")
    },
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def _build() -> World:
    world = World()
    users = {
        MEMBER: UserFactory(display_name="Walk Member"),
        OWNER: UserFactory(display_name="Walk Owner"),
        SUSPENDED: UserFactory(display_name="Walk Suspended"),
        NEW: UserFactory(display_name="Walk Newcomer"),
        MOD: UserFactory(display_name="Walk Moderator", roles=[Role.MODERATOR], two_factor=False),
        MOD_2FA: UserFactory(display_name="Walk Moderator 2FA", roles=[Role.MODERATOR]),
        EDITOR: UserFactory(display_name="Walk Editor", roles=[Role.EDITOR], is_staff=True),
        REVIEWER: UserFactory(display_name="Walk Reviewer", roles=[Role.MEDICAL_REVIEWER], is_staff=True),
        SUPER: UserFactory(display_name="Walk Superuser", is_staff=True, is_superuser=True, two_factor=False),
        SUPER_2FA: UserFactory(display_name="Walk Superuser 2FA", is_staff=True, is_superuser=True),
    }
    # Staff roles get an authenticator from the factory (editors and reviewers work in the admin,
    # which needs one); the moderator and the superuser above are made without.
    owner, member = users[OWNER], users[MEMBER]
    world.users = users

    world.forum = community_factories.forum("newly-diagnosed")
    world.members_forum = community_factories.forum("parent-wellbeing")
    world.thread = community_factories.thread(author=owner, title="Walking every URL")
    world.post = world.thread.posts.get(is_opening=True)
    community_services.reply(author=owner, thread=world.thread, body="The owner's reply")
    # Two visible posts each: the member and the suspended member are past pre-moderation.
    for author in (member, member, users[SUSPENDED], users[SUSPENDED]):
        world.suspended_post = community_services.reply(author=author, thread=world.thread, body="A reply")
    Suspension.objects.create(
        member=users[SUSPENDED], reason="Walk test", ends_at=timezone.now() + timedelta(days=7), created_by=users[MOD]
    )
    world.members_thread = community_factories.thread(
        author=owner, forum_slug=world.members_forum.slug, title="Among members"
    )
    # A thread whose opening post waits for a moderator, with a hidden reply.
    world.held_thread = community_factories.thread(author=owner, title="Waiting for a moderator")
    world.held_post = world.held_thread.posts.get(is_opening=True)
    community_services.hold_post(moderator=None, post=world.held_post, reason="Walk test")
    world.hidden_post = community_services.reply(author=owner, thread=world.thread, body="Hidden later")
    community_services.hide_post(moderator=users[MOD_2FA], post=world.hidden_post, reason="Walk test")
    world.story = community_factories.story(author=owner)
    world.unfollow_token = community_tokens.unfollow_token(user=owner, thread=world.thread)
    world.word = WatchedWord.objects.create(phrase="walkword", created_by=users[MOD_2FA])

    world.article = article_factories.make_article(by=users[EDITOR], reviewed_by=users[REVIEWER])
    # An editor's change waiting for a medical reviewer.
    world.version = article_services.propose_version(
        editor=users[EDITOR],
        article=world.article,
        content={**article_selectors.reviewed_content(world.article), "summary": "A better summary, waiting."},
    )
    world.reviewer_profile = ReviewerProfile.objects.get_or_create(
        user=users[REVIEWER], defaults={"slug": "walk-reviewer", "name": "Dr Walk Reviewer"}
    )[0]

    world.school = SchoolFactory()
    now = timezone.now()
    world.subscription = Subscription.objects.create(
        email=owner.email,
        school=world.school,
        status=Subscription.Status.ACTIVE,
        confirmed_at=now,
        confirmation_requested_at=now,
    )
    start, end = last_week()
    world.report = ExposureReport.objects.create(
        school=world.school, kind="strep", window_start=start, window_end=end, reporter=owner
    )
    world.contact = SchoolContact.objects.create(user=member, school=world.school, role_at_school="school nurse")

    world.child = journal_services.add_child(user=owner, label="Walk child")
    world.placement = journal_services.add_school(user=owner, child=world.child, school=world.school, grade="3")
    world.event = journal_services.add_event(
        user=owner, child=world.child, category="appointment", date=start, details={"with": "Walk clinic"}
    )
    world.invite = journal_sharing.invite_caregiver(
        user=owner, child=world.child, email="walk@example.net", role="can_log"
    )
    world.share_link = journal_sharing.create_share_link(user=owner, child=world.child, days=7)

    address = EmailAddress.objects.get(user=owner)
    world.email_key = EmailConfirmationHMAC(address).key

    world.sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies.output(header="").strip()
    owner.refresh_from_db()  # logging in changed last_login, which the password-reset token signs
    world.reset = (user_pk_to_url_str(owner), default_token_generator.make_token(owner))
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**FAST), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def pre_moderation_on(settings):
    # The project's default: a new member's first posts wait for a moderator.
    settings.MODERATION_HOLD_FIRST_POSTS = 2


# --- URL arguments -----------------------------------------------------------------------------------


def url_arguments(world: World) -> dict:
    post, thread = world.post.pk, world.thread
    return {
        "community:update_story": {"pk": world.story.pk},
        "community:reply": {"pk": thread.pk},
        "community:follow": {"pk": thread.pk},
        "community:thread": {"pk": thread.pk, "slug": thread.slug},
        "community:edit_post": {"post_id": post},
        "community:delete_post": {"post_id": post},
        "community:post_history": {"post_id": post},
        "community:react": {"post_id": post},
        "community:member": {"pk": world.users[OWNER].pk},
        "community:unfollow": {"token": world.unfollow_token},
        "community:forum": {"slug": world.forum.slug},
        "community:new_thread": {"slug": world.forum.slug},
        "community:forum_feed": {"slug": world.forum.slug},
        "moderation:decide_post": {"post_id": post},
        "moderation:decide_report": {"report_id": world.report.pk},
        "moderation:decide_contact": {"contact_id": world.contact.pk},
        "moderation:remove_watched_word": {"word_id": world.word.pk},
        "moderation:flag": {"post_id": post},
        "moderation:thread_tools": {"thread_id": thread.pk},
        **{
            f"moderation:{name}": {"member_id": world.users[OWNER].pk}
            for name in ("member", "member_warn", "member_suspend", "member_lift", "member_ban")
        },
        "articles:detail": {"slug": world.article.slug},
        "articles:reviewer": {"slug": world.reviewer_profile.slug},
        "alerts:confirm": {"token": tokens.confirmation_token(world.subscription)},
        "alerts:confirm_add_school": {"token": tokens.confirmation_token(world.subscription)},
        "alerts:unsubscribe": {"token": tokens.unsubscribe_token(world.subscription)},
        "alerts:manage": {"token": tokens.unsubscribe_token(world.subscription)},
        "alerts:report_sent": {"pk": world.report.pk},
        "alerts:my_subscription": {"pk": world.subscription.pk},
        "alerts:school": {"slug": world.school.slug},
        "alerts:school_feed": {"slug": world.school.slug},
        "account_confirm_email": {"key": world.email_key},
        "account_reset_password_from_key": {"uidb36": world.reset[0], "key": world.reset[1]},
        "accounts:export_download": {"token": "not-a-valid-link"},
        "journal:child": {"child_id": world.child.pk},
        "journal:edit_child": {"child_id": world.child.pk},
        "journal:add_school": {"child_id": world.child.pk},
        "journal:remove_school": {"child_id": world.child.pk, "placement_id": world.placement.pk},
        "journal:check_in": {"child_id": world.child.pk},
        "journal:timeline": {"child_id": world.child.pk},
        "journal:report": {"child_id": world.child.pk},
        "journal:report_pdf": {"child_id": world.child.pk},
        "journal:sharing": {"child_id": world.child.pk},
        "journal:invite_caregiver": {"child_id": world.child.pk},
        "journal:revoke_invite": {"child_id": world.child.pk, "invite_id": world.invite.pk},
        "journal:remove_caregiver": {"child_id": world.child.pk, "caregiver_id": world.child.caregiver_links.get().pk},
        "journal:leave": {"child_id": world.child.pk},
        "journal:create_share_link": {"child_id": world.child.pk},
        "journal:revoke_share_link": {"child_id": world.child.pk, "link_id": world.share_link.pk},
        "journal:invite": {"token": journal_sharing.invite_token(world.invite)},
        "journal:shared": {"token": journal_sharing.share_token(world.share_link)},
        "journal:shared_pdf": {"token": journal_sharing.share_token(world.share_link)},
        "journal:events": {"child_id": world.child.pk},
        "journal:story_figures": {"child_id": world.child.pk},
        "journal:add_event": {"child_id": world.child.pk, "category": "infection"},
        "journal:delete_event": {"child_id": world.child.pk, "event_id": world.event.pk},
        "journal:exposure": {"child_id": world.child.pk, "event_id": world.event.pk},
    }


# --- The URL patterns --------------------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name


ALL_PATTERNS = list(_walk(get_resolver().url_patterns))
ADMIN_PATTERNS = [(route, name) for route, name in ALL_PATTERNS if route.startswith("admin/")]
SITE_PATTERNS = [(route, name) for route, name in ALL_PATTERNS if not route.startswith("admin/")]


def _request(client: Client, method: str, url: str):
    return {"GET": client.get, "HEAD": client.head, "POST": client.post}[method](url)


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != ANON:
        client.cookies.load(world.sessions[role])
    return client


def _assert_walk(world: World, url: str, expected: dict, roles=ROLES) -> None:
    wrong = []
    for role in roles:
        client = _client(world, role)
        for method in ("GET", "HEAD", "POST"):
            with transaction.atomic():  # each request's writes are undone: the next role meets the same world
                response = _request(client, method, url)
                transaction.set_rollback(True)
            outcome = classify(response)
            if outcome != expected[method][role]:
                wrong.append(f"{method} as {role}: expected {expected[method][role]}, got {outcome}")
            if method == "HEAD" and response.content:
                wrong.append(f"HEAD as {role}: the answer has a body")
    assert not wrong, f"{url}\n" + "\n".join(wrong)


@pytest.mark.parametrize(("route", "name"), SITE_PATTERNS, ids=[name or route for route, name in SITE_PATTERNS])
def test_url_answers_every_role_as_the_table_says(world, route, name):
    if name not in TABLE:
        pytest.fail(
            f"The URL pattern {name or route!r} ({route}) has no row in tests/portal/test_url_access.py TABLE "
            "(unnamed? name it): say what each role gets for GET, HEAD and POST."
        )
    _assert_walk(world, reverse(name, kwargs=url_arguments(world).get(name, {})), TABLE[name])


@pytest.mark.parametrize("variant", VARIANTS)
def test_url_answers_as_the_table_says_for_other_objects(world, variant):
    name, arguments, expected = VARIANTS[variant]
    _assert_walk(world, reverse(name, kwargs=arguments(world)), expected)


def test_every_site_url_in_the_table_still_exists():
    names = {name for _, name in SITE_PATTERNS}
    assert not set(TABLE) - names, f"rows for URLs that no longer exist: {sorted(set(TABLE) - names)}"


# --- The admin -------------------------------------------------------------------------------------
# Its 140-odd patterns are covered by the rules below (first match on the URL name, or on the route
# of an unnamed pattern). Non-staff roles all get the same answer (LOGIN unless said otherwise),
# so the admin is walked as anonymous, a member and a moderator, and as each staff role.
# Staff need two-factor for the admin: the superuser without an authenticator is sent to set one up
# on every admin page; the rules' superuser column is what a superuser with one gets.

ADMIN_ROLES = (ANON, MEMBER, MOD_2FA, EDITOR, REVIEWER, SUPER_2FA, SUPER)


def staff(editor, reviewer, superuser, *, others=LOGIN) -> dict:
    return every(others, editor=editor, reviewer=reviewer, superuser=MFA_SETUP) | {SUPER_2FA: superuser}


# (URL name, or the route of an unnamed pattern; first match wins) → a row, or the (editor, reviewer,
# superuser) answers to GET and HEAD, then to POST.
ADMIN_RULES = [
    # The admin's login is allauth's; a signed-in member who is not staff may not use it.
    (
        r"^admin:login$",
        {
            "GET": staff(REDIRECT, REDIRECT, REDIRECT, others=403) | {ANON: LOGIN},
            "HEAD": staff(200, 200, 200, others=403) | {ANON: LOGIN},  # Django sends only a GET home
            "POST": staff(200, 200, 200, others=403) | {ANON: LOGIN},
        },
    ),
    (r"^admin:logout$", row(staff(405, 405, 405, others=REDIRECT), staff(200, 200, 200, others=REDIRECT))),
    (r"^admin:(index|password_change)$", (200, 200, 200), (200, 200, 200)),
    (r"^admin:(password_change_done|jsi18n)$", (200, 200, 200), (405, 405, 405)),
    (r"^admin:autocomplete$", (403, 403, 403), (405, 405, 405)),
    (r"^admin:view_on_site$|^admin/\(\?P<url>", (404, 404, 404), (404, 404, 404)),
    (r"^admin:app_list$", (404, 404, 200), (404, 404, 200)),
    # Articles: editors write, medical reviewers review; reviews and revisions are records.
    (r"^admin:articles_article_review$", (403, 200, 200), (403, 200, 200)),
    (
        r"^admin:articles_article_revision$",
        (200, 200, 200),
        (REDIRECT, 403, REDIRECT),
    ),
    # The school CSV import (and its progress page) is the superuser's: schools are theirs to change.
    (r"^admin:alerts_school_import_progress$", (403, 403, 404), (403, 403, 404)),
    # A waiting version: everyone on staff reads the diff; only a medical reviewer decides.
    (r"^admin:articles_article_version$", (200, 200, 200), (403, 200, 200)),
    (r"^admin:articles_articleversion_(add|delete)$", (403, 403, 403), (403, 403, 403)),
    (r"^admin:articles_articleversion_change$", (200, 200, 200), (403, 403, 403)),  # read-only: decided on its page
    (r"^admin:articles_review_add$", (403, 403, 403), (403, 403, 403)),
    (r"^admin:articles_review_change$", (200, 200, 200), (403, 403, 403)),
    (r"^admin:articles_\w+_add$", (200, 403, 200), (200, 403, 200)),
    (r"^admin:articles_\w+_change$", (200, 200, 200), (200, 403, 200)),
    (
        r"^admin:articles_\w+_(changelist|history)$",
        (200, 200, 200),
        (200, 200, 200),
    ),
    # Records nobody adds or edits by hand: threads, posts and decisions go through the services.
    (
        r"^admin:(community_(thread|post)|moderation_moderationaction|alerts_(alert|delivery))_add$",
        (403, 403, 403),
        (403, 403, 403),
    ),
    (
        r"^admin:moderation_moderationaction_delete$",
        (403, 403, 403),
        (403, 403, 403),
    ),
    (
        r"^admin:community_(thread|post)_change$",
        (403, 403, 200),
        (403, 403, REDIRECT),
    ),
    (
        r"^admin:moderation_moderationaction_change$",
        (403, 403, 200),
        (403, 403, 403),
    ),
    # The world has none of these objects: the superuser is sent back to the list.
    (
        r"^admin:(usersessions_usersession|alerts_(alert|delivery))_(change|delete)$",
        (403, 403, REDIRECT),
        (403, 403, REDIRECT),
    ),
    (
        r"^admin:(usersessions_usersession|alerts_(alert|delivery))_history$",
        (REDIRECT, REDIRECT, REDIRECT),
        (REDIRECT, REDIRECT, REDIRECT),
    ),
    # An object's bare URL redirects to its change page.
    (
        r"<path:object_id>/$",
        (REDIRECT, REDIRECT, REDIRECT),
        (REDIRECT, REDIRECT, REDIRECT),
    ),
    # Everything else (members, groups, authenticators, forums, stories, schools, subscriptions...) is the
    # superuser's alone.
    (r"^admin:", (403, 403, 200), (403, 403, 200)),
]


def admin_row(route: str, name: str | None) -> dict:
    subject = name or route
    for pattern, *expected in ADMIN_RULES:
        if re.search(pattern, subject):
            if len(expected) == 1:
                return expected[0]
            return row(staff(*expected[0]), staff(*expected[1]))
    raise AssertionError(f"No rule in ADMIN_RULES for the admin URL pattern {subject!r} ({route}).")


def admin_url(route: str, world: World) -> str:
    """The admin URL of `route`, pointing at the first object of its model (none: a missing id)."""
    url = re.sub(r"\(\?P<app_label>(\w+)[^)]*\)", r"\1", route)  # the first app of the admin's app list
    url = url.replace("(?P<url>.*)", "nowhere/").replace("^", "").replace("$", "")
    object_id = 0
    if model := re.match(r"admin/(\w+)/(\w+)/<(?:path:object_id|id)>/", route):
        object_id = apps.get_model(*model.groups()).objects.order_by("pk").values_list("pk", flat=True).first() or 0
    values = {
        "object_id": object_id,
        "id": object_id,
        "content_type_id": 0,
        "pk": world.article.pk,
        "revision_pk": world.article.revisions.order_by("pk").values_list("pk", flat=True).first(),
        "version_pk": world.version.pk,
        "import_id": 0,  # no import: the page answers 404
    }
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match.group(1)]), url)


@pytest.mark.parametrize(("route", "name"), ADMIN_PATTERNS, ids=[name or route for route, name in ADMIN_PATTERNS])
def test_admin_url_answers_as_the_rules_say(world, route, name):
    _assert_walk(world, admin_url(route, world), admin_row(route, name), ADMIN_ROLES)
