import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from environ import Env

from accounts.demo import seed_demo_users
from portal import pagecache, vocabulary
from portal.hooks import app_hooks


class Command(BaseCommand):
    help = "Load demo content (idempotent). With --demo-users, also one account of each role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Also create parent@, moderator@, editor@ and reviewer@example.org (refused when DEBUG is off).",
        )

    def handle(self, *args, demo_users=False, **options):
        if demo_users:
            if not settings.DEBUG:
                raise CommandError(
                    "--demo-users is refused when DEBUG is off: demo passwords do not belong in production."
                )
            password = Env().str("DEMO_PASSWORD", default="") or secrets.token_urlsafe(12)
            self.stdout.write("Demo accounts:")
            seed_demo_users(password=password, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"Demo password for new demo accounts: {password}"))
        for seed in app_hooks("seed", "seed"):
            seed(stdout=self.stdout)
        vocabulary.rebuild()  # "Did you mean ...?" knows the demo's words at once, with no beat running
        pagecache.invalidate()  # writes outside the web: no visitor may get a page from before them
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
