"""What the community reads with each request's user, in the same query (accounts.backends): the
member's unread count, which the header shows on every page."""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from community.models import MemberSettings


def annotations() -> dict:
    unread = MemberSettings.objects.filter(user=OuterRef("pk")).values("unread_count")[:1]
    return {"community_unread_count": Coalesce(Subquery(unread), Value(0))}
