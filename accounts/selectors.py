from accounts.models import User


def display_name_taken(display_name: str, *, exclude_pk: int | None = None) -> bool:
    """Display names are unique regardless of case ("Maple" and "maple" are one name)."""
    return User.objects.filter(display_name__iexact=display_name.strip()).exclude(pk=exclude_pk).exists()
