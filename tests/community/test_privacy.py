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
