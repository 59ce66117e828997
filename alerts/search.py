"""Schools in the one search: a parent searching a school's name finds its alerts page."""

from alerts.models import School
from portal.search import SearchResult, SearchSection, safe_snippet

MAX_RESULTS = 10


def search(query: str, *, user) -> SearchSection:
    section = SearchSection(title="Schools with strep-exposure alerts")
    for school in School.objects.search(query)[:MAX_RESULTS]:
        place = ", ".join(part for part in (school.city, school.region) if part)
        section.results.append(
            SearchResult(
                title=school.name,
                url=school.get_absolute_url(),
                snippet=safe_snippet(f"{place}. Subscribe to email alerts when strep is reported at this school."),
                meta=school.district,
            )
        )
    return section
