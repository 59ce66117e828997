"""Demo accounts for `seed_demo --demo-users`: one member of each role."""

from accounts.models import User
from accounts.roles import Role
from accounts.services import create_member, enable_two_factor

DEMO_USERS = [
    ("parent@example.org", "Maple Parent", ()),
    ("moderator@example.org", "Harbor Moderator", (Role.MODERATOR,)),
    ("editor@example.org", "Quill Editor", (Role.EDITOR,)),
    ("reviewer@example.org", "Dr Reviewer", (Role.MEDICAL_REVIEWER,)),
]


def seed_demo_users(*, password: str, stdout) -> None:
    """Staff accounts need two-factor for every power, so each demo staff account gets a TOTP key,
    printed once: add it to an authenticator app to log in with the code it shows."""
    for email, display_name, roles in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = create_member(email=email, display_name=display_name, password=password, roles=roles)
            stdout.write(f"  {email} created")
        else:
            stdout.write(f"  {email} exists (password unchanged)")
        if roles and not user.has_two_factor:
            key = enable_two_factor(user=user)
            stdout.write(f"    two-factor key for {email} (add it to an authenticator app): {key}")
