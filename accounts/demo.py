"""Demo accounts for `seed_demo --demo-users`: one member of each role."""

from accounts.models import User
from accounts.roles import Role
from accounts.services import create_member

DEMO_USERS = [
    ("parent@example.org", "Maple Parent", ()),
    ("moderator@example.org", "Harbor Moderator", (Role.MODERATOR,)),
    ("editor@example.org", "Quill Editor", (Role.EDITOR,)),
    ("reviewer@example.org", "Dr Reviewer", (Role.MEDICAL_REVIEWER,)),
]


def seed_demo_users(*, password: str, stdout) -> None:
    for email, display_name, roles in DEMO_USERS:
        if User.objects.filter(email=email).exists():
            stdout.write(f"  {email} exists (password unchanged)")
            continue
        create_member(email=email, display_name=display_name, password=password, roles=roles)
        stdout.write(f"  {email} created")
