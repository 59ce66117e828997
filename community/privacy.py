"""A warning, before posting, when text looks like it could identify a family.

It warns and never blocks: parents write about doctors and places, and false alarms are fine as
long as the member can say "post anyway". Kept deliberately simple and readable.
"""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# 7+ digits, allowing spaces, dots, dashes and brackets between them (e.g. 555-123-4567, +44 20 7946 0958).
PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d ().-]{5,}\d(?![\w/])")
STREET = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Boulevard|Blvd|Way|Place|Pl|Terrace|Close)\b\.?"
)
# Two capitalised words in a row ("Emma Johnson"), unless the first is a common sentence opener.
FULL_NAME = re.compile(r"\b([A-Z][a-z]{1,20})\s+([A-Z][a-z]{1,20})\b")
NOT_A_FIRST_NAME = {
    "The", "My", "Our", "His", "Her", "Their", "We", "When", "After", "Before", "Then", "This", "That", "It",
    "In", "On", "At", "So", "But", "And", "If", "Dr", "Doctor", "Children", "Childrens", "Saint", "St", "New",
    "Thank", "Thanks", "Hi", "Hello", "Dear", "Good", "Happy", "Recovery", "Newly", "Parent", "School",
}  # fmt: skip
NOT_A_LAST_NAME = {"Hospital", "Clinic", "School", "Street", "Road", "Avenue", "Month", "Months", "Week", "Day"}

PHONE_DIGITS_MIN = 7


def _looks_like_phone(match: str) -> bool:
    digits = re.sub(r"\D", "", match)
    # Years and dosages ("2019-2020", "2 g/kg") are not phone numbers.
    return len(digits) >= PHONE_DIGITS_MIN and not re.fullmatch(r"(19|20)\d\d\s*[-\u2013]\s*(19|20)\d\d", match.strip())


def privacy_warnings(text: str) -> list[str]:
    """What in `text` looks identifying, in the member's words (empty when nothing does)."""
    text = text or ""
    warnings = []
    if any(_looks_like_phone(m.group(0)) for m in PHONE.finditer(text)):
        warnings.append("It looks like there is a phone number.")
    if EMAIL.search(text):
        warnings.append("It looks like there is an email address.")
    if STREET.search(text):
        warnings.append("It looks like there is a street address.")
    for first, last in FULL_NAME.findall(text):
        if first not in NOT_A_FIRST_NAME and last not in NOT_A_LAST_NAME:
            warnings.append(f"“{first} {last}” looks like a person's full name.")
            break
    return warnings
