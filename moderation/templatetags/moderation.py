from django import template

from moderation import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_waiting(context) -> int | None:
    """How many items wait in the review queue, for a moderator; None for anyone else.

    Counted once per request (the header and the queue page share it), and never for a member
    without moderator authority.
    """
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.is_moderator:
        return None
    request = context.get("request")
    if request is None:
        return selectors.waiting_count()
    if not hasattr(request, "moderation_waiting"):
        request.moderation_waiting = selectors.waiting_count()
    return request.moderation_waiting
