import csv
import io

import pytest
from django.urls import reverse

from moderation import services
from portal.spreadsheets import safe_cell
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|'/c calc'!A0"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_text(formula):
    assert safe_cell(formula) == "'" + formula


@pytest.mark.parametrize("text", ["Unkind words", "2026-11-29", "a=b", "", 42, None])
def test_other_cells_are_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.django_db
def test_the_moderation_log_csv_never_holds_a_formula_a_member_or_moderator_typed(client):
    moderator = ModeratorFactory(display_name="Mod Ash")
    member = UserFactory(display_name="River")
    thread = community.thread(title='=HYPERLINK("http://evil.example","Open")', author=member)
    services.hide(moderator=moderator, post=thread.posts.first(), reason="=cmd|' /C calc'!A0")
    client.force_login(moderator)
    rows = list(csv.reader(io.StringIO(client.get(reverse("moderation:log_csv")).content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert any('=HYPERLINK("http://evil.example","Open")' in cell for cell in cells)
