"""Who may see or change a child's journal: the child's caregivers, and no one else.

Moderators, editors and superusers have no power here: to them a child's pages do not exist (404),
the admin has no journal models, and search, sitemaps, feeds and the page cache never hold them.
A caregiver who may only view is refused (403) what needs more.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from journal.models import Caregiver, Child

VIEW, LOG, OWN = "view", "log", "own"


def caregiver_link(user, child_id) -> Caregiver | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Caregiver.objects.select_related("child").filter(user=user, child_id=child_id).first()


def allows(link: Caregiver | None, need: str) -> bool:
    if link is None:
        return False
    return need == VIEW or (need == LOG and link.can_log) or (need == OWN and link.is_owner)


def require(user, child: Child | int, need: str = VIEW) -> Caregiver:
    """The caregiver link that lets `user` do `need` with the child. Raises for everyone else.

    Not a caregiver (staff included): Http404, the child is not there for them. A caregiver whose
    role does not allow it: PermissionDenied.
    """
    link = caregiver_link(user, child.pk if isinstance(child, Child) else child)
    if link is None:
        raise Http404("No such child in your journal.")
    if not allows(link, need):
        raise PermissionDenied("Your role in this child's journal does not allow this.")
    return link


def child_for(user, child_id: int, need: str = VIEW) -> tuple[Child, Caregiver]:
    """For views: the child and the user's link to it, in one query."""
    link = require(user, child_id, need)
    return link.child, link
