from django import template

from community.models import MemberSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in member's unread count, from their settings row."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    # A request's user comes with its count (community/request_user.py); another user object asks once.
    if hasattr(user, "community_unread_count"):
        return user.community_unread_count
    if not hasattr(user, "_community_unread"):
        user._community_unread = (
            MemberSettings.objects.filter(user=user).values_list("unread_count", flat=True).first() or 0
        )
    return user._community_unread
