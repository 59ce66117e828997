"""Production settings plus the floor view; used only by `make bench`."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Every fan-out run files an exposure report from the same bench reporter (several per run with the
# concurrency trials): the reporter's daily limit is not what the bench measures, so it must not stop
# a second run on the same day.
ACTION_LIMITS = {**ACTION_LIMITS, "exposure_report": [(10_000, 86400)]}  # noqa: F405
