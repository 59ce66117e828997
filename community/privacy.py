"""A warning, before posting, when text looks like it could identify a family.

It warns and never blocks: parents write about doctors and places, and false alarms are fine as
long as the member can say "post anyway". Kept deliberately simple and readable.

Every pattern runs in linear time on any input (a member can repeat the check without limit):
no pattern can rescan a long run of text from each of its positions, and the text is capped.
"""

import re

# The compose forms allow 20,000 characters of body plus a title; anything past this is not checked.
MAX_CHECKED_CHARS = 25_000

# Anchored on the "@": a run of word characters is scanned once from the "@" after it, never from
# each of its letters ("a-a-a-…" made the unanchored pattern quadratic).
EMAIL = re.compile(r"@(?<=[\w.+-]@)[\w-]+\.[\w.-]")
# 7+ digits, allowing spaces, dots, dashes and brackets between them (e.g. 555-123-4567, +44 20 7946 0958).
PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d ().-]{5,}\d(?![\w/])")
# PHONE itself backtracks over a long run of digits and separators from every start, so it only
# ever runs on one maximal run of such characters (from its first digit, 7 characters or more) at a
# time, and only on short runs.
PHONE_CHARACTERS = re.compile(r"\d[\d ().+-]{6,}")
PHONE_RUN_MAX = 64
STREET = re.compile(
    r"\b\d{1,5}\s{1,3}(?:[A-Z][a-z]{1,30}\s{1,3}){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Boulevard|Blvd|Way|Place|Pl|Terrace|Close)\b\.?"
)
# Two capitalised words in a row ("Emma Johnson"), unless the first is a common sentence opener.
FULL_NAME = re.compile(r"\b([A-Z][a-z]{1,20})\s{1,3}([A-Z][a-z]{1,20})\b")
NOT_A_FIRST_NAME = {
    "The", "My", "Our", "His", "Her", "Their", "We", "When", "After", "Before", "Then", "This", "That", "It",
    "In", "On", "At", "So", "But", "And", "If", "Dr", "Doctor", "Children", "Childrens", "Saint", "St", "New",
    "Thank", "Thanks", "Hi", "Hello", "Dear", "Good", "Happy", "Recovery", "Newly", "Parent", "School",
}  # fmt: skip
NOT_A_LAST_NAME = {"Hospital", "Clinic", "School", "Street", "Road", "Avenue", "Month", "Months", "Week", "Day"}

PHONE_DIGITS_MIN = 7
YEAR_RANGE = re.compile(r"(19|20)\d\d\s*[-\u2013]\s*(19|20)\d\d")


def _digit_count(text: str) -> int:
    return sum(character.isdigit() for character in text)


def _looks_like_phone(match: str) -> bool:
    # Years and dosages ("2019-2020", "2 g/kg") are not phone numbers.
    return _digit_count(match) >= PHONE_DIGITS_MIN and not YEAR_RANGE.fullmatch(match.strip())


def _has_phone_number(text: str) -> bool:
    for run in PHONE_CHARACTERS.finditer(text):
        if _digit_count(run.group(0)) < PHONE_DIGITS_MIN:
            continue
        # Context for PHONE's "+(" and look-behind before the first digit, and its look-ahead after.
        start, end = max(0, run.start() - 3), run.end() + 1
        if run.end() - run.start() > PHONE_RUN_MAX:
            # Seven digits or more in a long stretch of digits and separators: warn (a false alarm
            # costs the member one click), without running PHONE over it.
            return True
        if any(_looks_like_phone(match.group(0)) for match in PHONE.finditer(text[start:end])):
            return True
    return False


def privacy_warnings(text: str) -> list[str]:
    """What in `text` looks identifying, in the member's words (empty when nothing does)."""
    text = (text or "")[:MAX_CHECKED_CHARS]
    warnings = []
    if _has_phone_number(text):
        warnings.append("It looks like there is a phone number.")
    if EMAIL.search(text):
        warnings.append("It looks like there is an email address.")
    if STREET.search(text):
        warnings.append("It looks like there is a street address.")
    for first, last in (match.groups() for match in FULL_NAME.finditer(text)):
        if first not in NOT_A_FIRST_NAME and last not in NOT_A_LAST_NAME:
            warnings.append(f"“{first} {last}” looks like a person's full name.")
            break
    return warnings
