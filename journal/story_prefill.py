"""The journal's offer on the community's story form (found by name through portal.hooks):
"Fill in from my journal", for a member who has a child in it. Only the member's own children's
labels are shown, to the member; choosing one leads to journal.story_views, which shares nothing."""

from journal.models import Caregiver


def offer(user) -> dict | None:
    if not user.is_authenticated:
        return None
    children = [link.child for link in Caregiver.objects.of_user(user).select_related("child").order_by("child_id")]
    if not children:
        return None
    return {"template": "journal/_story_prefill.html", "children": children}
