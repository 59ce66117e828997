"""Key rotation: re-encrypt every journal row with the current (first) key of JOURNAL_KEY.

Reading a row decrypts it with whichever key made it; saving it encrypts with the first key, and a
placement's fingerprints are made again under that key. Rows go in batches, each in its own
transaction with the rows locked, so the command can be stopped and run again at any time.
"""

from collections.abc import Callable

from django.db import transaction

from journal.fields import EncryptedTextField
from journal.models import CaregiverInvite, CheckIn, Child, ChildSchool, Event, SeriesDigest, ShareLink

BATCH_SIZE = 500
# The digests too (journal/series.py): re-encrypting the rows makes them stale, but until their next read
# they would still hold a token under the old key.
MODELS = (Child, ChildSchool, CheckIn, Event, CaregiverInvite, ShareLink, SeriesDigest)


def encrypted_fields(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]


def rotate_keys(*, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Re-encrypt every row of every journal model. Returns how many rows per model."""
    done = {}
    for model in MODELS:
        fields = encrypted_fields(model)
        if model is ChildSchool:
            fields += ["school_fingerprint", "place_fingerprint"]
        last_pk, count = 0, 0
        while True:
            with transaction.atomic():
                rows = list(model.objects.select_for_update().filter(pk__gt=last_pk).order_by("pk")[:BATCH_SIZE])
                for row in rows:
                    if isinstance(row, ChildSchool):
                        row.set_fingerprints()
                    row.save(update_fields=fields)
            if not rows:
                break
            last_pk, count = rows[-1].pk, count + len(rows)
            if progress:
                progress(model._meta.label, count)
        done[model._meta.label] = count
    return done
