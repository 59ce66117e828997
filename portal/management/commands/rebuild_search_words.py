from django.core.management.base import BaseCommand

from portal import vocabulary


class Command(BaseCommand):
    help = 'Rebuild the words behind search\'s "Did you mean ...?" from published articles and public thread titles.'

    def handle(self, *args, **options):
        self.stdout.write(f"Search vocabulary: {vocabulary.rebuild()} words.")
