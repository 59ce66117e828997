"""`python manage.py rotate_journal_key`: re-encrypt the journal with the first key of JOURNAL_KEY.

Put the new key first in JOURNAL_KEY (keeping the old one after it), restart, run this, then remove
the old key. Safe to stop and run again.
"""

from django.core.management.base import BaseCommand

from journal.rotation import rotate_keys


class Command(BaseCommand):
    help = "Re-encrypt every journal row with the first key of JOURNAL_KEY (after putting a new key first)."

    def handle(self, *args, **options):
        done = rotate_keys()
        for label, count in done.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("Done: the keys after the first one can now be removed from JOURNAL_KEY."))
