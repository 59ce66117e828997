"""The fan-out's data: two bench schools with their subscribers, a reporter and a moderator."""

SCHOOL_SLUG = "bench-fanout-school"
SMALL_SCHOOL_SLUG = "bench-fanout-school-small"
ADDRESS_DOMAIN = "fanout.bench.invalid"  # not "@bench.invalid": dataset.build_members counts those
MODERATOR_EMAIL = f"moderator@{ADDRESS_DOMAIN}"
REPORTER_EMAIL = f"reporter@{ADDRESS_DOMAIN}"
PLACEHOLDER_ADDRESS = f"recipient-placeholder@{ADDRESS_DOMAIN}"


def subscriber_address(n: int) -> str:
    return f"parent{n}@{ADDRESS_DOMAIN}"


def ensure_fanout_data(*, size: int, small: int, say) -> None:
    """Idempotent: the two bench schools, with exactly `size` and `small` active immediate subscriptions,
    plus a reporter and a moderator."""
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import enable_two_factor, grant_roles

    _ensure_school(SCHOOL_SLUG, "Bench Fan-out Elementary", size, offset=0, say=say)
    _ensure_school(SMALL_SCHOOL_SLUG, "Bench Fan-out Small School", small, offset=1_000_000, say=say)
    for email, name in ((MODERATOR_EMAIL, "Fan-out moderator"), (REPORTER_EMAIL, "Fan-out reporter")):
        user = User.objects.filter(email=email).first() or User.objects.create_user(email, display_name=name)
        if email == MODERATOR_EMAIL and not user.holds_moderator_role:
            grant_roles(user=user, roles=(Role.MODERATOR,))
        if email == MODERATOR_EMAIL and not user.has_two_factor:
            enable_two_factor(user=user)  # approving a report is a moderator power: it needs two-factor


def _ensure_school(slug: str, name: str, count: int, *, offset: int, say) -> None:
    from django.db import transaction
    from django.utils import timezone

    from alerts.models import School, Subscription

    school, _ = School.objects.get_or_create(slug=slug, defaults={"name": name, "city": "Benchville"})
    subscriptions = Subscription.objects.filter(school=school)
    active = subscriptions.filter(status="active", delivery="immediate")
    if subscriptions.count() >= count and active.count() == count:
        return
    say(f"fan-out: {count:,} subscribers for {slug}")
    now = timezone.now()
    with transaction.atomic():
        have = subscriptions.count()
        Subscription.objects.bulk_create(
            (Subscription(email=subscriber_address(offset + n), school=school, status="active", confirmed_at=now,
                          confirmed_ip="127.0.0.1") for n in range(have, count)),
            batch_size=2_000,
        )  # fmt: skip
        # Exactly `count` in the audience, whatever an earlier run of another size left.
        first = list(subscriptions.order_by("pk").values_list("pk", flat=True)[:count])
        subscriptions.filter(pk__in=first).update(status="active", delivery="immediate")
        subscriptions.exclude(pk__in=first).update(status="unsubscribed", unsubscribed_at=now)


def cleanup() -> None:
    """Delete every report and alert (with its deliveries) of the bench schools.

    The audit log is append-only: its rows stay (they name the report, they do not link to it)."""
    from alerts.models import Alert, ExposureReport

    slugs = [SCHOOL_SLUG, SMALL_SCHOOL_SLUG]
    ExposureReport.objects.filter(school__slug__in=slugs).delete()
    Alert.objects.filter(school__slug__in=slugs).delete()
