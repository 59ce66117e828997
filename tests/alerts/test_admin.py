"""Admin: CSV import with a dry-run preview, and the moderation actions that call the services."""

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile

from alerts.models import ExposureReport, School, SchoolContact
from moderation.models import ModerationAction
from tests.alerts.factories import ExposureReportFactory, SchoolContactFactory, SchoolFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/alerts/school/import-csv/"
GOOD = (
    "name,city,region,return_rule,allow_classroom_scope\n"
    "Pine Valley Elementary,Riverbend,OR,12h,yes\n"
    "Birch Street School,Harbor Point,WA,,no\n"
)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def upload(client, text: str):
    return client.post(URL, {"file": SimpleUploadedFile("schools.csv", text.encode(), content_type="text/csv")})


def test_csv_preview_changes_nothing_then_import_creates_the_schools(admin_client):
    preview = upload(admin_client, GOOD)
    assert preview.status_code == 200
    assert b"Preview (dry run)" in preview.content and b"2 to create, 0 to update" in preview.content
    assert not School.objects.exists()

    done = admin_client.post(URL, {"text": GOOD, "import": "Import these schools"})
    assert done.status_code == 302
    pine = School.objects.get(name="Pine Valley Elementary")
    assert (pine.slug, pine.return_rule, pine.allow_classroom_scope) == (
        "pine-valley-elementary-riverbend",
        "12h",
        True,
    )
    assert School.objects.get(name="Birch Street School").return_rule == "24h"


def test_csv_rows_with_errors_are_listed_and_nothing_is_imported(admin_client):
    bad = "name,city,return_rule\nGood School,Town,24h\n,Nowhere,24h\nOdd School,Town,36h\n"
    preview = upload(admin_client, bad)
    html = preview.content.decode()
    assert "name: This field is required." in html
    assert "return_rule: Select a valid choice." in html
    assert "Import these schools" not in html
    admin_client.post(URL, {"text": bad, "import": "Import these schools"})
    assert not School.objects.exists()


def test_csv_without_required_columns_says_which(admin_client):
    assert b"Missing columns: city" in upload(admin_client, "name\nA school\n").content


def test_admin_actions_verify_contacts_and_approve_reports_through_the_services(admin_client):
    contact = SchoolContactFactory(status=SchoolContact.Status.REQUESTED, verified_at=None)
    admin_client.post("/admin/alerts/schoolcontact/", {"action": "verify", helpers.ACTION_CHECKBOX_NAME: [contact.pk]})
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.VERIFIED
    report = ExposureReportFactory(school=SchoolFactory())
    admin_client.post("/admin/alerts/exposurereport/", {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [report.pk]})
    report.refresh_from_db()
    assert report.status == ExposureReport.Status.APPROVED
    assert {a.action for a in ModerationAction.objects.all()} == {"contact.verify", "report.approve"}
    other = ExposureReportFactory()
    admin_client.post("/admin/alerts/exposurereport/", {"action": "reject", helpers.ACTION_CHECKBOX_NAME: [other.pk]})
    other.refresh_from_db()
    assert other.status == ExposureReport.Status.REJECTED


def test_alert_admin_lists_audience_and_delivery_counts(admin_client):
    assert admin_client.get("/admin/alerts/alert/").status_code == 200
    assert admin_client.get("/admin/alerts/delivery/").status_code == 200
    assert admin_client.get("/admin/alerts/subscription/").status_code == 200
