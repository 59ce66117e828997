from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone


class SearchWord(models.Model):
    """A word of the portal's public text (published articles, public thread titles), for search's
    "Did you mean ...?". Rebuilt whole by `portal.vocabulary.rebuild`; never the source of a result."""

    word = models.CharField(max_length=40, primary_key=True)
    documents = models.PositiveIntegerField(help_text="How many articles and thread titles use the word.")

    class Meta:
        indexes = [GinIndex(fields=["word"], name="portal_searchword_trigram", opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.word


class SuppressedAddress(models.Model):
    """An address never to be mailed again by anything the site sends, kept only as a keyed hash
    (portal.suppression). Written when a member deletes their account, when the email provider reports
    a hard bounce or a complaint, and after repeated soft bounces. It is about an address, not a
    member: erasing an account keeps it (that is the point), and a moderator lifts it on request."""

    class Reason(models.TextChoices):
        ACCOUNT_DELETED = "account_deleted", "its member deleted their account"
        HARD_BOUNCE = "hard_bounce", "the provider reported a hard bounce"
        COMPLAINT = "complaint", "its owner marked a message as spam"
        SOFT_BOUNCES = "soft_bounces", "three soft bounces in fourteen days"

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    provider = models.CharField(max_length=40, blank=True, help_text="The email provider that reported it, if any.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "suppressed addresses"

    def __str__(self):
        return f"suppressed address #{self.pk} ({self.get_reason_display()})"


class SoftBounce(models.Model):
    """One temporary delivery failure the provider reported for an address (as its keyed hash).
    Three within fourteen days suppress it; older ones are only history and are deleted then."""

    address_hash = models.CharField(max_length=64)
    bounced_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address_hash", "bounced_at"], name="portal_softbounce_recent")]

    def __str__(self):
        return f"soft bounce #{self.pk}"


class OutboundEmail(models.Model):
    """One automatic email to one address: the outbox row (portal.outbox). Unique per (kind, object,
    recipient), written in the transaction of the action that causes it, so a task that runs twice
    sends nothing twice and a broker outage loses nothing (the sweeper publishes what waits).

    The message is built when it is sent, from its kind's builder and the object's key: no body is
    stored here. `last_error` holds an SMTP code or an exception's class name, never its text."""

    class Status(models.TextChoices):
        PENDING = "pending", "waiting to be sent"
        SENT = "sent", "sent"
        FAILED = "failed", "refused for good (5xx) or out of attempts"
        SKIPPED = "skipped", "not sent: suppressed address, or no longer applies"

    kind = models.CharField(max_length=60, help_text="Which builder makes it, such as alerts.contact_notice.")
    object_key = models.CharField(max_length=60, help_text="The object it is about (its primary key, as text).")
    recipient = models.EmailField()
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=40, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_key", "recipient"], name="portal_outboundemail_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="portal_outboundemail_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["recipient"], name="portal_outboundemail_to"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_key} ({self.status})"
