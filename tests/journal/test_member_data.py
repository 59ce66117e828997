"""A member's journal in their data export, and what deleting their account does to it."""

import datetime
import io
import json
import zipfile

import pytest

from accounts import services as account_services
from journal import services
from journal.models import Caregiver, CheckIn, Child, Event
from tests.alerts.factories import SchoolFactory
from tests.factories import UserFactory
from tests.journal import factories

pytestmark = pytest.mark.django_db


def test_the_export_holds_each_child_decrypted_with_check_ins_events_and_schools():
    school = SchoolFactory(name="Maplewood Elementary")
    child = factories.child(label="Our eldest", age_band="5-8", onset_date=datetime.date(2024, 11, 2))
    owner = factories.owner_of(child)
    services.add_school(user=owner, child=child, school=school, grade="2")
    factories.check_in(child, days_back=1, ratings={"ocd": 7}, note="A hard morning")
    services.add_event(
        user=owner, child=child, category="infection", date=factories.days_ago(3),
        details={"kind": "strep_throat", "test": "rapid", "result": "positive"},
    )  # fmt: skip

    archive = zipfile.ZipFile(io.BytesIO(account_services.build_archive(user=owner)))
    data = json.loads(archive.read("member-data.json"))["journal"]

    [exported] = data["children"]
    assert exported["label"] == "Our eldest" and exported["age_band"] == "5-8"
    assert exported["onset_date"] == "2024-11-02" and exported["your_role"].startswith("Owner")
    assert exported["schools"] == [{"school": str(school), "grade": "Grade 2"}]
    assert exported["check_ins"] == [
        {"date": str(factories.days_ago(1)), "ratings": {"ocd": 7}, "note": "A hard morning", "note_in_report": False}
    ]
    assert exported["events"][0]["title"] == "Strep throat" and exported["events"][0]["details"]["result"] == "positive"
    csv_text = archive.read("journal-check-ins.csv").decode()
    assert csv_text.splitlines()[0].startswith("child,date,ocd,food,")
    assert "Our eldest" in csv_text and "A hard morning" in csv_text


def test_a_child_with_no_other_caregiver_is_erased_with_the_account():
    child = factories.child()
    factories.check_in(child, note="Private")
    owner = factories.owner_of(child)

    account_services.delete_account(user=owner)

    assert not Child.objects.filter(pk=child.pk).exists()
    assert not CheckIn.objects.exists() and not Caregiver.objects.exists()


def test_a_shared_child_is_handed_to_the_remaining_caregiver_who_becomes_its_owner():
    child = factories.child()
    owner = factories.owner_of(child)
    viewer = factories.add_caregiver(child, role=Caregiver.Role.CAN_VIEW)
    co_parent = factories.add_caregiver(child, role=Caregiver.Role.CAN_LOG)
    factories.check_in(child, note="Logged by the owner")
    services.add_event(
        user=owner, child=child, category="appointment", date=factories.days_ago(2), details={"with": "Paediatrician"}
    )

    account_services.delete_account(user=owner)

    roles = dict(Caregiver.objects.filter(child=child).values_list("user_id", "role"))
    assert roles == {viewer.pk: "can_view", co_parent.pk: "owner"}
    check_in = CheckIn.objects.get(child=child)
    assert check_in.note == "Logged by the owner" and check_in.logged_by is None
    assert Event.objects.get(child=child).created_by is None


def test_a_caregiver_leaving_takes_nothing_from_the_owners_journal():
    child = factories.child()
    helper = factories.add_caregiver(child)
    factories.check_in(child, by=helper, note="Grandma's note")

    account_services.delete_account(user=helper)

    assert Child.objects.filter(pk=child.pk).exists()
    assert CheckIn.objects.get(child=child).logged_by is None
    assert not Caregiver.objects.filter(user=helper).exists()


def test_another_members_journal_is_not_in_my_export():
    factories.child(label="Somebody else's child")
    me = UserFactory()

    data = account_services.member_data(user=me)

    assert data["journal"] == {
        "children": [],
        "check_ins": [],
        "daily_reminder": None,
        "invitations_sent": [],
        "share_links": [],
    }


def test_invitations_and_share_links_are_exported_and_erased_with_the_account():
    from journal import sharing
    from journal.models import CaregiverInvite, ShareLink, ShareView

    child = factories.child()
    owner = factories.owner_of(child)
    sharing.invite_caregiver(user=owner, child=child, email="aunt@example.org", role="can_view")
    link = sharing.create_share_link(user=owner, child=child, days=7, recipient="Dr Rivera")
    sharing.record_view(link=link)

    data = account_services.member_data(user=owner)["journal"]

    assert data["invitations_sent"][0]["email"] == "aunt@example.org"
    assert data["share_links"][0]["for"] == "Dr Rivera" and len(data["share_links"][0]["opened_at"]) == 1
    account_services.delete_account(user=owner)
    assert not CaregiverInvite.objects.exists() and not ShareLink.objects.exists() and not ShareView.objects.exists()
