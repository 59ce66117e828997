"""The journal is encrypted at rest: the database holds tokens, never a note, a rating or a label."""

import datetime

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from journal import crypto, series, services, sharing
from journal.models import CaregiverInvite, CheckIn, Child, ChildSchool, Event, ShareLink
from journal.rotation import MODELS, encrypted_fields, rotate_keys
from tests.alerts.factories import SchoolFactory
from tests.journal import factories

pytestmark = pytest.mark.django_db

NEW_KEY = Fernet.generate_key().decode()


def raw_rows(table: str) -> str:
    """Every row of a journal table as the database holds it, read with a plain SQL cursor."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a fixed table name)
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def a_full_journal():
    school = SchoolFactory(name="Maplewood Elementary")
    child = factories.child(label="Our eldest", birth_year="2016", onset_date=datetime.date(2024, 11, 2))
    owner = factories.owner_of(child)
    services.add_school(user=owner, child=child, school=school, grade="2")
    factories.check_in(child, ratings={"ocd": 7, "food": 9}, note="Woke up screaming about germs")
    services.add_event(
        user=owner,
        child=child,
        category="treatment",
        date=datetime.date(2024, 11, 5),
        end_date=datetime.date(2024, 11, 15),
        details={"kind": "antibiotic", "name": "Amoxicillin", "dose": "500 mg twice a day", "reactions": "Rash"},
        note="Started after the positive culture",
    )
    series.series_of(child)  # the timeline's digest of it all, built as a first read of the timeline does
    return child, school


def test_the_database_holds_no_plaintext_label_note_rating_school_or_event_detail():
    _, school = a_full_journal()
    dump = "\n".join(
        raw_rows(table)
        for table in (
            "journal_child",
            "journal_checkin",
            "journal_event",
            "journal_childschool",
            "journal_seriesdigest",
        )
    )
    for plaintext in (
        "Our eldest",
        "2024-11-02",
        "Woke up screaming",
        '"ocd"',
        "food",
        "Amoxicillin",
        "500 mg",
        "Rash",
        "antibiotic",
        "treatment",
        "2024-11-05",
        "Maplewood",
        f'"school": {school.pk}',
    ):
        assert plaintext not in dump, plaintext
    with connection.cursor() as cursor:
        cursor.execute("SELECT label, birth_year, onset_date FROM journal_child")
        assert all(value.startswith("gAAAAA") for value in cursor.fetchone())  # Fernet tokens, version 0x80
    # What is there is Fernet tokens, which the journal's key opens.
    with connection.cursor() as cursor:
        cursor.execute("SELECT note, ratings FROM journal_checkin")
        note, ratings = cursor.fetchone()
    assert crypto.decrypt(note) == "Woke up screaming about germs"
    assert crypto.decrypt(ratings) == '{"food":9,"ocd":7}'


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("Anxiety 7") != crypto.encrypt("Anxiety 7")


def test_values_read_back_as_they_were_written():
    child, school = a_full_journal()
    child = Child.objects.get(pk=child.pk)
    assert (child.label, child.birth_year, child.onset_date) == ("Our eldest", "2016", datetime.date(2024, 11, 2))
    check_in = CheckIn.objects.get(child=child)
    assert check_in.ratings == {"ocd": 7, "food": 9} and check_in.note == "Woke up screaming about germs"
    event = Event.objects.get(child=child)
    assert (event.category, event.date, event.end_date) == (
        "treatment",
        datetime.date(2024, 11, 5),
        datetime.date(2024, 11, 15),
    )
    assert event.details["dose"] == "500 mg twice a day"
    assert ChildSchool.objects.get(child=child).placement == {"school": school.pk, "grade": "2"}


def test_without_the_key_the_rows_cannot_be_read(settings):
    a_full_journal()
    settings.JOURNAL_KEYS = [NEW_KEY]  # the old key lost
    with pytest.raises(InvalidToken):
        list(CheckIn.objects.all())


def test_rotation_re_encrypts_every_row_with_the_new_key_and_keeps_every_value(settings):
    _, school = a_full_journal()
    old_key = settings.JOURNAL_KEYS[0]
    old_fingerprint = ChildSchool.objects.get().school_fingerprint
    settings.JOURNAL_KEYS = [NEW_KEY, old_key]

    done = rotate_keys()

    assert done == {
        "journal.Child": 1,
        "journal.ChildSchool": 1,
        "journal.CheckIn": 1,
        "journal.Event": 1,
        "journal.CaregiverInvite": 0,
        "journal.ShareLink": 0,
        "journal.SeriesDigest": 0,  # re-encrypting the check-ins deleted it (a journal with none keeps its own)
    }
    settings.JOURNAL_KEYS = [NEW_KEY]  # the old key can go now
    assert Child.objects.get().label == "Our eldest"
    assert CheckIn.objects.get().note == "Woke up screaming about germs"
    assert Event.objects.get().details["name"] == "Amoxicillin"
    placement = ChildSchool.objects.get()
    assert placement.placement == {"school": school.pk, "grade": "2"}
    assert placement.school_fingerprint != old_fingerprint
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM journal_checkin")
        assert Fernet(NEW_KEY.encode()).decrypt(cursor.fetchone()[0].encode()) == b"Woke up screaming about germs"
    assert series.series_of(Child.objects.get())[0][0].ratings == {"ocd": 7, "food": 9}  # built again, new key


def test_rotation_covers_every_model_with_an_encrypted_field():
    # An invitation's address and a share link's recipient were once left out: unreadable once the old key went.
    encrypted = {model for model in apps.get_app_config("journal").get_models() if encrypted_fields(model)}
    assert encrypted == set(MODELS)


def test_rotation_re_encrypts_invitations_and_share_links(settings):
    child = factories.child()
    owner = factories.owner_of(child)
    invite = sharing.invite_caregiver(user=owner, child=child, email="gran@example.org", role="can_view")
    link = sharing.create_share_link(user=owner, child=child, recipient="Dr Rivera", days=7)
    settings.JOURNAL_KEYS = [NEW_KEY, settings.JOURNAL_KEYS[0]]

    rotate_keys()

    settings.JOURNAL_KEYS = [NEW_KEY]
    assert CaregiverInvite.objects.get(pk=invite.pk).email == "gran@example.org"
    assert ShareLink.objects.get(pk=link.pk).recipient == "Dr Rivera"


def test_rotation_re_encrypts_the_digest_of_a_journal_with_no_check_ins_or_events(settings):
    child = factories.child()
    series.series_of(child)  # an empty digest: no write to its rows will ever delete it
    settings.JOURNAL_KEYS = [NEW_KEY, settings.JOURNAL_KEYS[0]]

    assert rotate_keys()["journal.SeriesDigest"] == 1

    settings.JOURNAL_KEYS = [NEW_KEY]
    assert series.series_of(Child.objects.get(pk=child.pk)) == ([], [])
    with connection.cursor() as cursor:
        cursor.execute("SELECT series FROM journal_seriesdigest")
        assert Fernet(NEW_KEY.encode()).decrypt(cursor.fetchone()[0].encode()) == b'{"check_ins":[],"events":[]}'


def test_the_rotate_command_says_what_it_did(settings, capsys):
    a_full_journal()
    settings.JOURNAL_KEYS = [NEW_KEY, settings.JOURNAL_KEYS[0]]

    call_command("rotate_journal_key")

    out = capsys.readouterr().out
    assert "journal.CheckIn: 1 rows re-encrypted" in out and "can now be removed" in out
    settings.JOURNAL_KEYS = [NEW_KEY]
    assert CheckIn.objects.get().ratings == {"ocd": 7, "food": 9}


def test_fingerprints_made_under_an_older_key_are_still_found_before_rotation(settings):
    a_full_journal()
    placement = ChildSchool.objects.get()
    settings.JOURNAL_KEYS = [NEW_KEY, settings.JOURNAL_KEYS[0]]
    fingerprint = f"school:{placement.school_id}"
    assert placement.school_fingerprint in crypto.fingerprints(fingerprint)
    assert placement.school_fingerprint != crypto.fingerprint(fingerprint)
