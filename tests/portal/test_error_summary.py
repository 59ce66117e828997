"""Forms like GOV.UK's: an error summary that links to each field, and the server's messages rather
than the browser's pop-ups."""

import pytest
from django.urls import reverse

from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_error_summary_links_each_problem_to_its_field(client):
    client.force_login(UserFactory())
    factories.forum("newly-diagnosed")
    response = client.post(reverse("community:new_thread", args=["newly-diagnosed"]), {"title": "Hi", "body": ""})
    summary = response.content.decode().split('data-testid="error-summary"')[1].split("</div>")[0]
    assert "There is a problem" in summary
    assert '<a href="#id_title">Title: Please make the title at least 5 characters long.</a>' in summary
    assert '<a href="#id_body">Your message: Please write something before posting.</a>' in summary


def test_account_forms_leave_validation_to_the_server(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "<form" in html and "novalidate" in html.split("<form", 1)[1].split(">", 1)[0]
