import time

import pytest

from community.privacy import privacy_warnings


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("write to jane.doe@example.org please", "email address"),
        ("call 555-123-4567 after six", "phone number"),
        ("call +44 20 7946 0958", "phone number"),
        ("we live at 42 Maple Street now", "street address"),
        ("her name is Emma Johnson", "full name"),
    ],
)
def test_identifying_details_are_warned_about(text, warning):
    assert any(warning in message for message in privacy_warnings(text))


@pytest.mark.parametrize(
    "text",
    [
        "IVIG 2 g/kg over 2 days helped a lot",
        "Symptoms from 2019-2020 were worse. My son is 7.",
        "The Children Hospital team was kind. PANDAS is hard.",
        "We saw Dr Smith",  # a doctor's title is fine; two capitalised words after an opener are not a name
    ],
)
def test_ordinary_text_is_not_flagged(text):
    assert privacy_warnings(text) == []


# Each builds a body of about n characters (20,000 is the body limit) made to make a backtracking pattern
# rescan the text from every position: long runs of word characters, separators, digits, capitalised words.
ADVERSARIAL_BODIES = {
    "word-dash runs (email)": lambda n: "a-" * (n // 2),
    "word-dot runs (email)": lambda n: "a." * (n // 2),
    "at signs": lambda n: "@a-" * (n // 3),
    "domain without end": lambda n: "a@a" + ".a" * (n // 2 - 2) + "@",
    "digits glued to letters (phone)": lambda n: "1a" * (n // 2),
    "plus-digit runs (phone)": lambda n: "+1" * (n // 2),
    "spaced digits then a letter (phone)": lambda n: "1 " * (n // 2 - 1) + "x",
    "brackets (phone)": lambda n: "1(" * (n // 2),
    "capitalised words (street, name)": lambda n: "1 " + "Aa " * (n // 3 - 1),
    "one word then spaces": lambda n: "Ab" + " " * (n - 3) + "x",
    "mixed separators": lambda n: "1-2 3.4(5)" * (n // 10),
}


def _best_of(function, text, repeat=7):
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("build", ADVERSARIAL_BODIES.values(), ids=ADVERSARIAL_BODIES.keys())
def test_privacy_check_grows_linearly_with_the_body(build):
    # How the cost grows from a quarter-length body to a full one, not a time: four times the text costs
    # about four times as much in linear time, sixteen times in quadratic time (the patterns this guards
    # against cost seconds at full length). Both sizes are timed in the same moment, so load cancels out.
    full, quarter = build(20_000), build(5_000)
    assert len(full) >= 19_990
    growth = _best_of(privacy_warnings, full) / _best_of(privacy_warnings, quarter)
    assert growth < 8, f"{growth:.1f} times the cost for four times the text"


def test_privacy_check_reads_only_the_first_characters_of_a_huge_text():
    huge = "a-" * 500_000 + " write to jane.doe@example.org"
    assert privacy_warnings(huge) == []  # the address past the limit is never read
    # A million characters cost no more than the body limit's worth (the rest is never scanned).
    assert _best_of(privacy_warnings, huge) < 3 * _best_of(privacy_warnings, huge[:20_000])


def test_a_phone_number_after_a_long_stretch_of_spaces_is_still_warned_about():
    assert privacy_warnings("call" + " " * 100 + "555 123 4567 please") == ["It looks like there is a phone number."]
