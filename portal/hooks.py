"""Where the portal's own apps plug into site-wide pages and commands.

Each feature app may define, by convention:
- `<app>/sections.py: home_section(request) -> dict | None` — a block of the home page
  (`{"template": ..., **context}`);
- `<app>/search.py: search(query, *, user) -> SearchSection` — its part of `/search/`;
- `<app>/seed.py: seed(*, stdout)` — its idempotent demo content for `seed_demo`;
- `<app>/sitemaps.py: sitemaps` — a dict of Sitemap classes for `/sitemap.xml`;
- `<app>/schedule.py: BEAT_SCHEDULE` — its periodic tasks for celery beat;
- `<app>/member_data.py: export_member_data(*, user) -> dict` and `erase_member(*, user)` — its part of a
  member's data export and of erasing a deleted account's personal data.
The order below is the order on the page and in seeding.
"""

from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.util import find_spec

FEATURE_APPS = ["accounts", "articles", "community", "moderation", "alerts"]


def app_hooks(module_name: str, attribute: str) -> Iterator[Callable | dict]:
    for app in FEATURE_APPS:
        if find_spec(f"{app}.{module_name}") is not None:
            yield getattr(import_module(f"{app}.{module_name}"), attribute)
