from community import access

ACTIVE_THREADS = 5


def home_section(request) -> dict:
    """The home page's "Active threads": one query, whatever the activity."""
    threads = access.threads(request.user).for_list().order_by("-last_activity_at", "-id")
    threads = list(threads[:ACTIVE_THREADS])
    return {"template": "community/_home.html", "threads": threads}
