"""What moderation reads with each request's user, in the same query (accounts.backends): whether
the member is suspended now, which every page that offers a form asks (moderation.policy.is_suspended)."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Now

from moderation.models import Suspension


def annotations() -> dict:
    # The database's clock: the query is compiled once and run on every request (accounts.backends).
    running = Suspension.objects.active(now=Now()).filter(member=OuterRef("pk"))
    return {"moderation_suspended_now": Exists(running)}
