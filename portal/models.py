from django.contrib.postgres.indexes import GinIndex
from django.db import models


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
