"""Admin: CSV import with a dry-run preview, and the moderation actions that call the services."""

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from alerts import imports
from alerts.models import ExposureReport, School, SchoolContact, SchoolImport
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
    """Upload a file and let its background check run; the page the admin then sees."""
    file = SimpleUploadedFile("schools.csv", text.encode(), content_type="text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the check's task starts on commit
        answer = client.post(URL, {"file": file})
    return client.get(answer["Location"]) if answer.status_code == 302 else answer


def test_csv_preview_changes_nothing_then_import_creates_the_schools(admin_client, django_capture_on_commit_callbacks):
    preview = upload(admin_client, GOOD)
    assert preview.status_code == 200
    assert b"Preview (dry run)" in preview.content and b"2 to create, 0 to update" in preview.content
    assert not School.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        started = admin_client.post(preview.request["PATH_INFO"], {"import": "Import these schools"})
    done = admin_client.get(started["Location"], follow=True)
    assert done.redirect_chain[-1][0] == "/admin/alerts/school/"
    assert b"Imported: 2 created, 0 updated." in done.content
    pine = School.objects.get(name="Pine Valley Elementary")
    assert (pine.slug, pine.return_rule, pine.allow_classroom_scope) == (
        "pine-valley-elementary-riverbend",
        "12h",
        True,
    )
    assert School.objects.get(name="Birch Street School").return_rule == "24h"
    assert SchoolImport.objects.get(write=True).text == ""  # the file is not kept once written


def test_csv_rows_with_errors_are_listed_and_nothing_is_imported(admin_client):
    bad = "name,city,return_rule\nGood School,Town,24h\n,Nowhere,24h\nOdd School,Town,36h\n"
    preview = upload(admin_client, bad)
    html = preview.content.decode()
    assert "2 rows with errors: nothing is imported" in html
    assert "name: This field is required." in html
    assert "return_rule: Select a valid choice." in html
    assert "Import these schools" not in html
    admin_client.post(preview.request["PATH_INFO"], {"import": "Import these schools"})
    assert not School.objects.exists() and not SchoolImport.objects.filter(write=True).exists()


def test_csv_without_required_columns_says_which(admin_client):
    assert b"Missing columns: city." in upload(admin_client, "name\nA school\n").content


def test_a_file_over_the_row_cap_is_refused_at_once(admin_client):
    rows = "".join(f"School {n},Town\n" for n in range(imports.MAX_ROWS + 1))
    html = upload(admin_client, "name,city\n" + rows).content.decode()
    assert "The file has 20,001 rows; at most 20,000 can be imported at once." in html
    assert not SchoolImport.objects.exists()


def test_a_long_import_runs_a_chunk_per_task_with_its_progress(admin_client, settings):
    rows = "".join(f"School {n},Town {n}\n" for n in range(imports.CHUNK_ROWS * 2 + 10))
    job = imports.start_import(user=None, text="name,city\n" + rows, write=True)
    assert imports.process_chunk(import_id=job.pk)  # more to do
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (SchoolImport.Status.CHECKING, imports.CHUNK_ROWS)
    html = admin_client.get(f"{URL}{job.pk}/").content.decode()
    assert f"Checking rows: {imports.CHUNK_ROWS} of {job.rows_total} rows" in html and 'http-equiv="refresh"' in html
    while imports.process_chunk(import_id=job.pk):
        pass
    job.refresh_from_db()
    assert job.is_done and School.objects.count() == imports.CHUNK_ROWS * 2 + 10
    # Importing the same file again updates the schools instead of failing on their slugs.
    again = imports.start_import(user=None, text="name,city\n" + rows, write=True)
    while imports.process_chunk(import_id=again.pk):
        pass
    again.refresh_from_db()
    assert (again.to_create, again.to_update) == (0, imports.CHUNK_ROWS * 2 + 10)


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
