"""Production settings plus the floor view; used only by `make bench`."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Every fan-out run files an exposure report from the same bench reporter (several per run with the
# concurrency trials): the reporter's daily limit is not what the bench measures, so it must not stop
# a second run on the same day.
ACTION_LIMITS = {**ACTION_LIMITS, "exposure_report": [(10_000, 86400)]}  # noqa: F405

# The mixed load (bench/mixed.py) has each member reply and react several times a minute, on every run
# of the day: the posting limits are still checked on every write, only their ceilings are out of reach.
MODERATION_RATE_LIMITS = {
    tier: {**limits, "post": [(100_000, 60)]}
    for tier, limits in MODERATION_RATE_LIMITS.items()  # noqa: F405
}
ACTION_LIMITS = {**ACTION_LIMITS, "reaction": [(100_000, 60)]}
