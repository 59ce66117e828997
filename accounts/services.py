import csv
import io
import json
import logging
import zipfile
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import DataExport, User
from accounts.roles import Role
from portal import outbox
from portal.emails import absolute_url, build_email
from portal.hooks import app_hooks, app_modules
from portal.pagecache import changes_public_pages

logger = logging.getLogger(__name__)


@transaction.atomic
def create_member(*, email: str, display_name: str, password: str, roles: tuple[Role, ...] = ()) -> User:
    """A member whose email address is already verified (demo accounts, admin-made staff).

    Editors and medical reviewers work in the admin site, so they get `is_staff`.
    """
    needs_admin = bool({Role.EDITOR, Role.MEDICAL_REVIEWER} & set(roles))
    user = User.objects.create_user(email=email, password=password, display_name=display_name, is_staff=needs_admin)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    grant_roles(user=user, roles=roles)
    return user


def enable_two_factor(*, user: User) -> str:
    """Give an account a TOTP authenticator with a new key, and return the key.

    For accounts the portal makes itself (demo staff, the demo content's signers): members set
    two-factor up on their own through allauth's pages.
    """
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    user.__dict__.pop("has_two_factor", None)
    return secret


def grant_roles(*, user: User, roles: tuple[Role, ...]) -> None:
    # get_or_create: the groups come from a data migration, but a flushed or hand-edited
    # database must not silently leave a moderator without their role.
    user.groups.add(*(Group.objects.get_or_create(name=role.value)[0] for role in roles))


@changes_public_pages
def change_display_name(*, user: User, display_name: str) -> User:
    user.display_name = display_name
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["display_name"])
    return user


def change_language(*, user: User, language: str) -> User:
    """The language of the member's account pages and account emails. Not public: no page cache change."""
    user.language = User.Language(language)
    user.save(update_fields=["language"])
    return user


# --- Data export --------------------------------------------------------------------------------

# The archive's layout; raise it when a field is renamed or removed, so a reader can tell.
EXPORT_SCHEMA_VERSION = 1
# Exports a member may ask for in a day (each one reads every row about them).
EXPORTS_PER_DAY = 3
# Up to this many posts the archive is built in the request; above, in the background and mailed.
INLINE_EXPORT_MAX_ITEMS = 1000
# A mailed link, and the archive behind it, lasts this long.
EXPORT_LINK_LIFETIME = timedelta(days=7)
EXPORT_LINK_SALT = "accounts.data-export.link"
EXPORT_READY_EMAIL = "accounts.data_export_ready"


class ExportLimitReached(Exception):
    def __init__(self, retry_at):
        self.retry_at = retry_at
        super().__init__(f"data export limit reached until {retry_at:%Y-%m-%d %H:%M}")


def member_data(*, user: User) -> dict:
    """Everything the portal holds about a member, as one readable document (each app adds its part)."""
    data = {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "about": "Everything the PANDAS Parent Network portal holds about you. Who flagged or reported "
        "you is never included.",
    }
    for export in app_hooks("member_data", "export"):
        data.update(export(user))
    return data


def build_archive(*, user: User) -> bytes:
    """A zip: member-data.json (everything) and a CSV file per list an app marks (posts.csv)."""
    data = member_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("member-data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for module in app_modules("member_data"):
            for filename, (section, key, columns) in getattr(module, "CSV", {}).items():
                text = io.StringIO()
                writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(data.get(section, {}).get(key, []))
                archive.writestr(filename, text.getvalue())
    return buffer.getvalue()


def archive_filename() -> str:
    return f"pandas-parent-network-data-{timezone.now():%Y-%m-%d}.zip"


def _export_size(user: User) -> int:
    """How many items the export will hold, as the apps that can be large count them."""
    return sum(module.export_size(user) for module in app_modules("member_data") if hasattr(module, "export_size"))


def request_data_export(*, user: User) -> tuple[DataExport, bytes | None]:
    """Start a member's export: the archive at once when small, else None and a background build
    whose link is mailed. Raises ExportLimitReached after EXPORTS_PER_DAY requests in a day."""
    now = timezone.now()
    with transaction.atomic():
        # One request at a time per member, so two clicks cannot both slip under the limit.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
        recent = list(
            DataExport.objects.filter(user=user, requested_at__gt=now - timedelta(days=1))
            .order_by("requested_at")
            .values_list("requested_at", flat=True)
        )
        if len(recent) >= EXPORTS_PER_DAY:
            raise ExportLimitReached(retry_at=recent[0] + timedelta(days=1))
        size = _export_size(user)
        background = size > INLINE_EXPORT_MAX_ITEMS
        export = DataExport.objects.create(
            user=user,
            requested_at=now,
            post_count=size,
            # A quick export leaves only the limit's record, for a day.
            expires_at=now + (EXPORT_LINK_LIFETIME if background else timedelta(days=1)),
        )
        if background:
            outbox.on_commit("accounts.tasks.build_data_export", export.pk)
            return export, None
    return export, build_archive(user=user)


def export_link_token(export: DataExport) -> str:
    return signing.dumps(export.pk, salt=EXPORT_LINK_SALT)


def export_for_link(*, token: str, user: User) -> DataExport | None:
    """The member's own archive behind a mailed link, while it lasts; None otherwise."""
    try:
        pk = signing.loads(token, salt=EXPORT_LINK_SALT, max_age=EXPORT_LINK_LIFETIME)
    except signing.BadSignature:
        return None
    return DataExport.objects.filter(pk=pk, user=user, expires_at__gt=timezone.now(), archive__isnull=False).first()


def build_data_export(*, export_id: int) -> bool:
    """Build a large export, then mail its link. Idempotent: the row says whether each step is done.

    The email is an outbox row written in the transaction that commits the archive, so the link
    works the moment it arrives and a broker outage loses nothing."""
    pending = DataExport.objects.filter(pk=export_id, emailed_at__isnull=True, expires_at__gt=timezone.now())
    with transaction.atomic():
        export = pending.select_for_update().select_related("user").first()
        if export is None or not export.user.is_active:
            return False
        if export.archive is None:
            export.archive = build_archive(user=export.user)
            export.ready_at = timezone.now()
            export.save(update_fields=["archive", "ready_at"])
        outbox.enqueue_email(EXPORT_READY_EMAIL, export.pk, [(export.user.email, export.user.language)])
    return True


def data_export_email(*, export_id: int, to: str):
    """The outbox's builder: the link to a ready export, while it lasts; records when it went."""
    export = (
        DataExport.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=export_id, emailed_at__isnull=True, expires_at__gt=timezone.now(), archive__isnull=False)
        .first()
    )
    if export is None or not export.user.is_active or export.user.email != to:
        return None
    link = absolute_url(reverse("accounts:export_download", args=[export_link_token(export)]))
    with translation.override(export.user.language):  # an account email: in the member's language
        message = build_email(
            to=export.user.email,
            subject=gettext("Your data from the PANDAS Parent Network is ready"),
            branded=False,  # the brand is in the sentence
            template="account/email/data_export_ready",
            context={"user": export.user, "link": link, "expires_at": export.expires_at},
        )

    def after_sent():
        DataExport.objects.filter(pk=export.pk).update(emailed_at=timezone.now())
        logger.info("data export %s mailed (%s items)", export.pk, export.post_count)

    message.after_sent = after_sent
    return message


def purge_expired_exports(*, now=None) -> int:
    """Archives and the limit's records go when they expire."""
    deleted, _ = DataExport.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def sweep_data_exports(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Beat, every few minutes: purge what expired; publish again a large export whose task was lost."""
    purge_expired_exports()
    now = timezone.now()
    # A built archive's email is an outbox row (swept by portal.outbox): only unbuilt ones wait here.
    waiting = DataExport.objects.filter(
        emailed_at__isnull=True,
        archive__isnull=True,
        expires_at__gt=now,
        requested_at__lt=now - older_than,
        post_count__gt=INLINE_EXPORT_MAX_ITEMS,
    )
    return sum(
        outbox.publish("accounts.tasks.build_data_export", pk) for pk in waiting.values_list("pk", flat=True)[:100]
    )


# --- Account deletion ------------------------------------------------------------------------------


@changes_public_pages
@transaction.atomic
def delete_account(*, user: User, delete_posts: bool = False) -> None:
    """Erase a member's personal data. Their posts stay under "Former member N", or, if they chose
    so, are deleted too (tombstones without text keep the threads readable).

    The row is kept (posts and the append-only audit log point at it) but can never log in again,
    and its email address is free for a new account. Apps erase from the top layer down, so each
    still finds the account's addresses; changing the password hash ends every other session.
    """
    for module in reversed(list(app_modules("member_data"))):
        module.erase(user, delete_posts=delete_posts)
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-{user.pk}@invalid.invalid"
    user.display_name = f"Former member {user.pk}"
    user.is_active = user.is_staff = user.is_superuser = False
    user.rules_accepted_at = None
    user.language = User.Language.ENGLISH
    user.set_unusable_password()
    user.save()
    end_sessions(user=user)
    logger.info("member %s deleted their account (posts %s)", user.pk, "deleted" if delete_posts else "kept")


def end_sessions(*, user: User, except_session_key: str | None = None) -> None:
    """Log a member out everywhere (suspension, deletion), or everywhere but one session."""
    for session in UserSession.objects.purge_and_list(user):
        if session.session_key != except_session_key:
            session.end()
