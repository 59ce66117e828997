"""A member's data export: everything about them, in a zip they can read; large ones mailed."""

import csv
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import DataExport
from tests.accounts.busy_member import EDITED_AWAY_PHRASE, busy_member
from tests.community import factories as community
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def download(client) -> tuple[dict, list[dict], bytes]:
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    return read_archive(response.content)


def read_archive(content: bytes) -> tuple[dict, list[dict], bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        raw = archive.read("member-data.json")
        posts = list(csv.DictReader(io.StringIO(archive.read("posts.csv").decode())))
    return json.loads(raw), posts, raw


def test_a_member_who_did_everything_finds_each_item_in_their_export(client):
    busy = busy_member()
    client.post(reverse("account_login"), {"login": busy.email, "password": DEFAULT_PASSWORD})
    data, posts_csv, raw = download(client)

    assert data["schema_version"] == services.EXPORT_SCHEMA_VERSION == 1
    assert data["account"]["email"] == busy.email
    assert data["account"]["display_name"] == busy.display_name
    assert data["sessions"], "the device the member is logged in on"
    community_data = data["community"]
    assert [t["title"] for t in community_data["threads"]] == ["Night terrors after strep", "Our ivig story"]
    reply = next(p for p in community_data["posts"] if p["id"] == busy.reply.pk)
    assert reply["body"] == "We tried it in spring."
    assert EDITED_AWAY_PHRASE in reply["earlier_versions"][0]["body"]
    (story,) = community_data["stories"]
    assert story["regimen"] == "Three rounds of azithromycin"
    assert (story["severity_before"], story["severity_1_month"]) == (9, 4)
    assert community_data["reactions"] == [
        {"post_id": busy.reacted_post.pk, "kind": "helpful", "created_at": community_data["reactions"][0]["created_at"]}
    ]
    assert busy.followed_thread.pk in [f["thread_id"] for f in community_data["follows"]]
    assert [n["post_id"] for n in community_data["notifications"]] == [busy.notified_post.pk]
    assert community_data["settings"] == {"emails": "daily"}

    moderation = data["moderation"]
    assert moderation["flags_raised"][0]["note"] == "Flag note: this advice looks risky"
    decisions = {d["decision"]: d["reason"] for d in moderation["decisions_about_you"]}
    assert decisions["warned a member"] == "Please keep replies kind."
    assert "Repeated unkind replies." in decisions["suspended a member"]
    assert moderation["suspensions"][0]["reason"] == "Repeated unkind replies."

    alerts = data["alerts"]
    assert [(s["email"], s["school"]) for s in alerts["subscriptions"]] == [(busy.email, str(busy.school))]
    assert alerts["subscriptions"][0]["confirmed_from_ip"] == "127.0.0.1"
    assert alerts["school_contact_requests"][0]["role_at_school"] == "School nurse"
    assert alerts["school_contact_requests"][0]["status"] == "verified"
    assert alerts["exposure_reports"][0]["note_to_moderators"] == "Report note: two cases in one class"

    # posts.csv: one row per post, with its text.
    assert {int(row["id"]): row["body"] for row in posts_csv}[busy.reply.pk] == "We tried it in spring."
    assert len(posts_csv) == len(community_data["posts"]) == 3

    # Never who flagged the member, nor which moderator decided.
    text = raw.decode()
    assert "Other Parent" not in text and "Flagged by the other" not in text
    assert "Harbor Moderator" not in text and busy.moderator.email not in text


def test_export_holds_only_the_members_own_data(client):
    stranger = UserFactory(email="stranger@example.org", display_name="Stranger Danger")
    community.thread(author=stranger, title="A stranger's thread", body="Not yours")
    member = UserFactory()
    client.force_login(member)
    _, posts, raw = download(client)
    assert b"stranger" not in raw.lower() and posts == []


def test_a_fourth_export_in_a_day_is_refused_with_when_to_try_again(client):
    member = UserFactory()
    client.force_login(member)
    for _ in range(services.EXPORTS_PER_DAY):
        download(client)
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "You can download your data 3 times a day, and you have already." in html
    assert re.search(r"Please try again in \d+\xa0hours?", html), html
    assert DataExport.objects.filter(user=member).count() == services.EXPORTS_PER_DAY


def test_export_page_explains_what_the_archive_holds(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:export"))
    assert "posts.csv" in response.content.decode()
    assert "never says who flagged or reported you" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_built_in_the_background_and_mailed_as_an_expiring_link(
    client, mail_server, celery_worker, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_EXPORT_MAX_ITEMS", 2)
    member = UserFactory(email="prolific@example.org")
    thread = community.thread(author=member, body="Opening words")
    community.replies(thread, 2, author=member)
    client.force_login(member)

    response = client.post(reverse("accounts:export"), follow=True)
    assert "we are preparing your data in the background" in response.content.decode()
    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["prolific@example.org"]
    link = re.search(r"http://testserver(/accounts/me/export/\S+/)", message.body("plain")).group(1)
    assert "works until" in message.body("plain")

    download_response = client.get(link)
    data, posts, _ = read_archive(download_response.content)
    assert len(data["community"]["posts"]) == len(posts) == 3
    # Another member cannot use the link.
    other = client.__class__()
    other.force_login(UserFactory())
    assert other.get(link).status_code == 404
    # The task running again mails nothing more.
    export = DataExport.objects.get(user=member)
    assert services.build_data_export(export_id=export.pk) is False
    assert len(mail_server.messages) == 1


def test_an_expired_export_link_no_longer_downloads(client, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "INLINE_EXPORT_MAX_ITEMS", 0)
    member = UserFactory()
    community.thread(author=member)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:export"))
    export = DataExport.objects.get(user=member)
    link = reverse("accounts:export_download", args=[services.export_link_token(export)])
    assert client.get(link).status_code == 200
    DataExport.objects.filter(pk=export.pk).update(expires_at=export.requested_at)
    assert client.get(link).status_code == 404
    assert services.purge_expired_exports() == 1
    assert not DataExport.objects.exists()


def test_a_large_export_whose_task_was_lost_is_built_and_mailed_by_the_sweeper(
    mail_server, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_EXPORT_MAX_ITEMS", 0)
    member = UserFactory(email="patient@example.org")
    community.thread(author=member)
    # The request's transaction never ran its on-commit publish (a broker outage, a crash).
    services.request_data_export(user=member)
    export = DataExport.objects.get(user=member)
    assert export.emailed_at is None
    DataExport.objects.filter(pk=export.pk).update(requested_at=export.requested_at - timedelta(minutes=6))

    with django_capture_on_commit_callbacks(execute=True):  # the rebuilt export's email row, published
        assert services.sweep_data_exports() == 1
    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["patient@example.org"]
    assert services.sweep_data_exports() == 0
