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


# Each is 20,000 characters (the body limit) built to make a backtracking pattern rescan the text
# from every position: long runs of word characters, separators, digits and capitalised words.
ADVERSARIAL_BODIES = {
    "word-dash runs (email)": "a-" * 10_000,
    "word-dot runs (email)": "a." * 10_000,
    "at signs": "@a-" * 6_667,
    "domain without end": "a@a" + ".a" * 9_998 + "@",
    "digits glued to letters (phone)": "1a" * 10_000,
    "plus-digit runs (phone)": "+1" * 10_000,
    "spaced digits then a letter (phone)": "1 " * 9_999 + "x",
    "brackets (phone)": "1(" * 10_000,
    "capitalised words (street, name)": "1 " + "Aa " * 6_666,
    "one word then spaces": "Ab" + " " * 19_997 + "x",
    "mixed separators": "1-2 3.4(5)" * 2_000,
}


def _best_of(function, text, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


def _linear_pass(text):
    return sum(1 for _ in text)


@pytest.mark.parametrize("text", ADVERSARIAL_BODIES.values(), ids=ADVERSARIAL_BODIES.keys())
def test_privacy_check_of_any_full_length_body_takes_under_20_ms(text):
    assert len(text) >= 19_999
    cost = _best_of(privacy_warnings, text)
    # A ratio to a plain one-character-at-a-time pass over the same text, so a busy machine does not
    # decide the result; the quadratic patterns cost thousands of times that.
    ratio = cost / _best_of(_linear_pass, text)
    assert cost < 0.020, f"{cost * 1000:.1f} ms"
    assert ratio < 25, f"{ratio:.0f} times a linear pass"


def test_privacy_check_reads_only_the_first_characters_of_a_huge_text():
    huge = "a-" * 500_000 + " write to jane.doe@example.org"
    assert _best_of(privacy_warnings, huge, repeat=1) < 0.020
    assert privacy_warnings(huge) == []


def test_a_phone_number_after_a_long_stretch_of_spaces_is_still_warned_about():
    assert privacy_warnings("call" + " " * 100 + "555 123 4567 please") == ["It looks like there is a phone number."]
