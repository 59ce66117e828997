"""What each kind of event holds (in its encrypted `details`) and how it reads on a page.

Choices are the journal's words; the values are stable codes kept in the encrypted details.
"""

import datetime
from functools import cache

from django.db import models

from alerts.models import Grade


class InfectionKind(models.TextChoices):
    STREP_THROAT = "strep_throat", "Strep throat"
    SCARLET_FEVER = "scarlet_fever", "Scarlet fever"
    PERIANAL_STREP = "perianal_strep", "Perianal strep"
    SINUSITIS = "sinusitis", "Sinus infection"
    MYCOPLASMA = "mycoplasma", "Mycoplasma"
    FLU = "flu", "Flu"
    COVID = "covid", "COVID-19"
    COLD = "cold", "Cold or other virus"
    OTHER = "other", "Other"


class TestType(models.TextChoices):
    RAPID = "rapid", "Rapid strep test"
    CULTURE = "culture", "Throat culture"
    PCR = "pcr", "PCR test"
    BLOOD = "blood", "Blood test (ASO, anti-DNase B)"
    OTHER = "other", "Other test"
    NONE = "none", "Not tested"


class TestResult(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    WAITING = "waiting", "Waiting for the result"
    NONE = "none", "No result (not tested)"


class TreatmentKind(models.TextChoices):
    ANTIBIOTIC = "antibiotic", "Antibiotic course"
    IVIG = "ivig", "IVIG infusion"
    STEROID = "steroid", "Steroid"
    NSAID = "nsaid", "NSAID (e.g. ibuprofen)"
    SSRI = "ssri", "SSRI"
    THERAPY = "therapy", "Therapy (e.g. CBT, ERP)"
    OTHER = "other", "Other"


class ExposureStatus(models.TextChoices):
    PENDING = "pending", "Not checked yet"
    CONFIRMED = "confirmed", "Confirmed: my child was there"
    DISMISSED = "dismissed", "Dismissed: not relevant to my child"


@cache
def _labels(choices) -> dict:
    # Once per choices class: `.choices` builds its list anew at every call (hundreds of events a page).
    return dict(choices.choices)


def _label(choices, value: str) -> str:
    return _labels(choices).get(value, "")


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week."""
    return day - datetime.timedelta(days=day.weekday())


def title(event) -> str:
    """One line for a list, a timeline mark or a report."""
    details = event.details
    category = event.category
    if category == "infection":
        return _label(InfectionKind, details.get("kind", "")) or "Infection"
    if category == "treatment":
        kind = _label(TreatmentKind, details.get("kind", "")) or "Treatment"
        return f"{kind}: {details['name']}" if details.get("name") else kind
    if category == "appointment":
        return f"Appointment: {details['with']}" if details.get("with") else "Appointment"
    if category == "exposure":
        grade = str(_labels(Grade).get(details.get("grade", ""), ""))
        where = ", ".join(part for part in (details.get("school_name", "a school"), grade) if part)
        week = datetime.date.fromisoformat(details["week_of"]) if details.get("week_of") else week_of(event.date)
        what = "Suspected strep" if details.get("alert_kind") == "suspected" else "Strep"
        return f"{what} reported at {where}, week of {week.day} {week:%B %Y}"
    return "Event"


def facts(event) -> list[tuple[str, str]]:
    """The event's details as (label, value) pairs, for a list or a report."""
    details, rows = event.details, []
    if event.category == "infection":
        rows += [
            ("Test", _label(TestType, details.get("test", ""))),
            ("Result", _label(TestResult, details.get("result", ""))),
        ]
    elif event.category == "treatment":
        rows += [("Dose", details.get("dose", "")), ("Reactions", details.get("reactions", ""))]
        if event.end_date:
            rows.append(("Until", f"{event.end_date:%-d %B %Y}"))
    elif event.category == "exposure":
        rows.append(("Status", _label(ExposureStatus, details.get("status", ""))))
    return [(label, value) for label, value in rows if value]


def exposure_status(event) -> str:
    return event.details.get("status", ExposureStatus.PENDING) if event.category == "exposure" else ""
