"""Where the portal's own apps plug into site-wide pages and commands.

Each feature app may define, by convention:
- `<app>/sections.py: home_section(request) -> dict | None` — a block of the home page
  (`{"template": ..., **context}`);
- `<app>/search.py: search(query, *, user) -> SearchSection` — its part of `/search/`;
- `<app>/seed.py: seed(*, stdout)` — its idempotent demo content for `seed_demo`;
- `<app>/story_prefill.py: offer(user) -> dict | None` — a way to fill in a new community story's
  figures from the app's own data (`{"template": ..., **context}`, shown on the story form); it links
  to a page of the app that sends the member back to the form with initial values in the query string;
- `<app>/sitemaps.py: sitemaps` — a dict of Sitemap classes for `/sitemap.xml`;
- `<app>/schedule.py: BEAT_SCHEDULE` — its periodic tasks for celery beat;
- `<app>/member_data.py` — its part of a member's data rights (accounts.services collects them):
  `export(user) -> dict` (sections of the export archive), `erase(user, *, delete_posts)` (called
  inside the deletion's transaction), `COVERS` (model label -> how its rows are exported and erased;
  a test fails when a model holding member data is in no app's `COVERS`), and optionally `CSV`
  (file name -> (section, key, columns): a list in the export also written as a CSV file) and
  `export_size(user) -> int` (items that make an export large enough to build in the background).
- `<app>/suppression.py: address_suppressed(email)` — an address went on the suppression list
  (portal.suppression): stop what the app sends it (alerts suppresses its subscriptions);
- `<app>/inbound.py: unsubscribe(token) -> bool` — an email to the List-Unsubscribe `mailto:`
  carried `token` (portal.inbound): stop what it names and say True, or False when it is not the app's.
- `<app>/request_user.py: annotations() -> dict` — expressions read with each request's user in the
  one query that loads it (accounts.backends), for what every page asks (an unread count);
The order below is the order on the page and in seeding.
"""

from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

FEATURE_APPS = ["accounts", "articles", "community", "moderation", "alerts", "journal"]


def app_modules(module_name: str) -> Iterator[ModuleType]:
    for app in FEATURE_APPS:
        if find_spec(f"{app}.{module_name}") is not None:
            yield import_module(f"{app}.{module_name}")


def app_hooks(module_name: str, attribute: str) -> Iterator[Callable | dict]:
    for module in app_modules(module_name):
        yield getattr(module, attribute)
