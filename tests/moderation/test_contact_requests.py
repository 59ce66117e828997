"""School contact requests: they wait in the moderators' queue with the requester's address domain
beside the school's, moderators are told one waits, and the member is told the decision."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from alerts import services as alert_services
from alerts.models import SchoolContact
from tests.alerts.factories import SchoolFactory
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return SchoolFactory(name="Maple Grove Elementary", email_domain="maplegrove.k12.example")


def test_a_request_tells_the_moderators_with_two_factor(school, django_capture_on_commit_callbacks):
    with_two_factor = ModeratorFactory()
    UserFactory(roles=[Role.MODERATOR], two_factor=False)
    nurse = UserFactory(email="nurse@maplegrove.k12.example")
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.request_contact(user=nurse, school=school, role_at_school="school nurse")
    assert [message.to for message in mail.outbox] == [[with_two_factor.email]]
    assert "Maple Grove Elementary" in mail.outbox[0].body and "nurse@" not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("address", "verdict"), [("nurse@maplegrove.k12.example", "matches"), ("nurse@freemail.example", "does not match")]
)
def test_the_queue_shows_the_requesters_domain_against_the_schools(client, school, address, verdict):
    alert_services.request_contact(user=UserFactory(email=address), school=school, role_at_school="school nurse")
    client.force_login(ModeratorFactory())
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "School contact request: Maple Grove Elementary" in html
    domain_line = html.split('data-testid="contact-domain"')[1].split("</p>")[0]
    assert address.split("@")[1] in domain_line and "maplegrove.k12.example" in domain_line and verdict in domain_line


def test_verifying_in_the_queue_tells_the_member_and_their_reports_publish_at_once(
    client, school, django_capture_on_commit_callbacks
):
    nurse = UserFactory(email="nurse@maplegrove.k12.example", display_name="Nurse Jo")
    contact = alert_services.request_contact(user=nurse, school=school, role_at_school="school nurse")
    client.force_login(ModeratorFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("moderation:decide_contact", args=[contact.pk]), {"decision": "verify"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.VERIFIED
    (told,) = mail.outbox
    assert told.to == [nurse.email] and "you are a verified contact for Maple Grove Elementary" in told.subject
    assert "contact-" not in client.get(reverse("moderation:queue")).content.decode()


def test_refusing_tells_the_member_and_their_reports_keep_waiting(client, school, django_capture_on_commit_callbacks):
    nurse = UserFactory(email="someone@freemail.example")
    contact = alert_services.request_contact(user=nurse, school=school, role_at_school="parent volunteer")
    client.force_login(ModeratorFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:decide_contact", args=[contact.pk]), {"decision": "refuse", "reason": "no"})
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.REVOKED
    (told,) = mail.outbox
    assert "you are not a verified contact" in told.subject and "a moderator checks each one" in told.body


def test_an_exposure_report_in_the_queue_names_its_reporter_to_moderators(client):
    from tests.alerts.factories import ExposureReportFactory

    report = ExposureReportFactory(reporter=UserFactory(display_name="Careful Reporter"))
    client.force_login(ModeratorFactory())
    html = client.get(reverse("moderation:queue")).content.decode()
    assert f"Exposure report: {report.school.name}" in html
    reporter_line = html.split('data-testid="reporter"')[1].split("</p>")[0]
    member_page = reverse("moderation:member", args=[report.reporter_id])
    assert f'Reported by <a href="{member_page}">Careful Reporter</a>' in reporter_line
