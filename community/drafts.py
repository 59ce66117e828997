"""The server's draft stash: what a visitor sent to a compose form before logging in.

A compose form posted without a session (never logged in, or the session expired) keeps its text
here so that after login the form comes back filled in. Anyone can post to these forms, so the
stash is bounded: a few drafts per session, each no larger than a post, each for a couple of
hours. The browser keeps its own copy too (static/js/community-draft.js).
"""

import time

SESSION_KEY = "community-drafts"
MAX_DRAFTS = 3
# A post's body (20,000) plus a title and a story's short fields.
MAX_DRAFT_CHARACTERS = 24_000
MAX_FIELDS = 20
MAX_VALUES_PER_FIELD = 10
LIFETIME_SECONDS = 2 * 60 * 60


def stash(session, compose_url: str, data) -> bool:
    """Keep a posted form (a QueryDict) for `compose_url`. False when it is too large to keep."""
    names = [name for name in data if name != "csrfmiddlewaretoken"][:MAX_FIELDS]
    values = {name: [str(value) for value in data.getlist(name)[:MAX_VALUES_PER_FIELD]] for name in names}
    if sum(len(value) for field_values in values.values() for value in field_values) > MAX_DRAFT_CHARACTERS:
        return False
    now = time.time()
    drafts = {url: draft for url, draft in _fresh(session, now).items() if url != compose_url}
    drafts[compose_url] = {"saved_at": now, "values": values}
    newest = sorted(drafts.items(), key=lambda item: item[1]["saved_at"])[-MAX_DRAFTS:]
    session[SESSION_KEY] = dict(newest)
    return True


def pop(session, compose_url: str) -> dict | None:
    """The draft kept for `compose_url`, as a form's initial data, once; None if none or expired."""
    if SESSION_KEY not in session:
        return None
    drafts = _fresh(session, time.time())
    draft = drafts.pop(compose_url, None)
    session[SESSION_KEY] = drafts
    if not draft:
        return None
    return {
        name: values if len(values) > 1 or name == "side_effects" else values[0]
        for name, values in draft["values"].items()
    }


def _fresh(session, now: float) -> dict:
    drafts = session.get(SESSION_KEY)
    if not isinstance(drafts, dict):
        return {}
    return {url: draft for url, draft in drafts.items() if now - draft.get("saved_at", 0) < LIFETIME_SECONDS}
