"""What moderation reads with each request's user, in the same query (accounts.backends): whether
the member is suspended now, which every page that offers a form asks (moderation.policy.is_suspended)."""

from django.db.models import Exists, OuterRef

from moderation.models import Suspension


def annotations() -> dict:
    return {"moderation_suspended_now": Exists(Suspension.objects.active().filter(member=OuterRef("pk")))}
