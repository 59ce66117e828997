from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, expected_status: int = 200) -> int:
    """How many SQL queries one GET of `url` runs (the page must answer `expected_status`)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == expected_status, f"{url} answered {response.status_code}"
    return len(context.captured_queries)


def assert_fixed_queries(client, small_url: str, large_url: str, expected: int) -> None:
    """A page costs `expected` queries at two sizes: its cost does not grow with its length."""
    small, large = count_queries(client, small_url), count_queries(client, large_url)
    assert (small, large) == (expected, expected), f"queries: {small} (small) and {large} (large), pinned at {expected}"
