"""Demo schools for `seed_demo` (fictional; idempotent)."""

from alerts.models import School

DEMO_SCHOOLS = [
    {
        "name": "Maplewood Elementary School",
        "slug": "maplewood-elementary",
        "district": "Riverbend Unified",
        "city": "Riverbend",
        "region": "OR",
        "postal_code": "97000",
        "return_rule": "24h",
        "allow_classroom_scope": False,
    },
    {
        "name": "Cedar Hill Middle School",
        "slug": "cedar-hill-middle",
        "district": "Riverbend Unified",
        "city": "Riverbend",
        "region": "OR",
        "postal_code": "97001",
        "return_rule": "12h",
        "allow_classroom_scope": False,
    },
    {
        "name": "Lakeside Primary",
        "slug": "lakeside-primary",
        "district": "North Shore Schools",
        "city": "Harbor Point",
        "region": "WA",
        "postal_code": "98000",
        "return_rule": "24h",
        "allow_classroom_scope": True,
    },
    {
        "name": "Escuela Primaria Los Olivos",
        "slug": "escuela-los-olivos",
        "district": "Valle Verde",
        "city": "Valle Verde",
        "region": "CA",
        "postal_code": "90000",
        "return_rule": "24h",
        "allow_classroom_scope": False,
    },
]


def seed(*, stdout) -> None:
    created = 0
    for school in DEMO_SCHOOLS:
        _, was_created = School.objects.get_or_create(slug=school["slug"], defaults=school)
        created += was_created
    stdout.write(f"  alerts: {created} demo schools added ({len(DEMO_SCHOOLS) - created} already there)")
