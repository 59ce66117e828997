"""A member's journal: what their export holds and what erasing their account does to it.

The export holds every child the member cares for, decrypted: the child's details and schools, every
check-in and event (a journal shared by two caregivers is in both exports). On erasure a child that
has another caregiver is handed to them (the longest-standing one becomes the owner when the member
owned it) and keeps its journal; a child with no other caregiver is deleted with everything in it.
"""

from django.db.models import Count

from accounts.models import User
from alerts.models import School
from journal import events, services
from journal.models import (
    Caregiver,
    CaregiverInvite,
    CheckIn,
    Child,
    ChildSchool,
    Event,
    Reminder,
    ReminderSetting,
    ShareLink,
)
from journal.symptoms import GROUPS

COVERS = {
    "journal.Child": "exported, decrypted, for each child the member cares for; deleted with its last caregiver, "
    "otherwise handed to a remaining caregiver",
    "journal.Caregiver": "exported (the member's role); deleted, ownership handed on",
    "journal.ChildSchool": "exported with its child; deleted with the child",
    "journal.CheckIn": "exported with its child and in journal-check-ins.csv; deleted with the child; "
    "who logged it is forgotten",
    "journal.Event": "exported with its child; deleted with the child; who added it is forgotten",
    "journal.SeriesDigest": "derived from the child's check-ins and events (exported as those); deleted with the "
    "child and at every write to them; re-encrypted by a key rotation",
    "journal.ExposureScan": "which alerts the journal has read: no member's data",
    "journal.CaregiverInvite": "exported (invitations the member sent); deleted; accepted ones forget who accepted",
    "journal.ShareLink": "exported with its views (links the member made); deleted",
    "journal.ShareView": "exported with its link; deleted with it",
    "journal.ReminderSetting": "exported; deleted",
    "journal.Reminder": "deleted (a record that a reminder went, one a day)",
}

CHECK_IN_COLUMNS = ["child", "date", *(key for key, _ in GROUPS), "note"]
CSV = {"journal-check-ins.csv": ("journal", "check_ins", CHECK_IN_COLUMNS)}


def _date(value):
    return value.isoformat() if value else None


def _children(user: User) -> list[tuple[Caregiver, Child]]:
    links = Caregiver.objects.filter(user=user).select_related("child").order_by("child_id")
    return [(link, link.child) for link in links]


def export(user: User) -> dict:
    children, check_in_rows = [], []
    pairs = _children(user)
    child_ids = [child.pk for _, child in pairs]
    schools_by_child, check_ins_by_child, events_by_child = {}, {}, {}
    for placement in ChildSchool.objects.filter(child_id__in=child_ids):
        schools_by_child.setdefault(placement.child_id, []).append(placement)
    for check_in in CheckIn.objects.filter(child_id__in=child_ids).order_by("date"):
        check_ins_by_child.setdefault(check_in.child_id, []).append(check_in)
    for event in Event.objects.filter(child_id__in=child_ids):
        events_by_child.setdefault(event.child_id, []).append(event)
    school_names = {
        school.pk: str(school)
        for school in School.objects.filter(
            pk__in=[p.school_id for placements in schools_by_child.values() for p in placements]
        )
    }
    for link, child in pairs:
        check_ins = [
            {"date": _date(c.date), "ratings": c.ratings, "note": c.note, "note_in_report": c.in_report}
            for c in check_ins_by_child.get(child.pk, [])
        ]
        check_in_rows += [
            {"child": child.label, "date": row["date"], **row["ratings"], "note": row["note"]} for row in check_ins
        ]
        children.append(
            {
                "label": child.label,
                "your_role": link.get_role_display(),
                "birth_year": child.birth_year,
                "age_band": child.age_band,
                "onset_date": _date(child.onset_date),
                "onset_speed": child.onset_speed_text,
                "schools": [
                    {"school": school_names.get(p.school_id, "a school no longer listed"), "grade": p.grade_text}
                    for p in schools_by_child.get(child.pk, [])
                ],
                "check_ins": check_ins,
                "events": [
                    {
                        "category": event.category,
                        "title": events.title(event),
                        "date": _date(event.date),
                        "end_date": _date(event.end_date),
                        "details": event.details,
                        "note": event.note,
                        "note_in_report": event.in_report,
                    }
                    for event in sorted(events_by_child.get(child.pk, []), key=lambda e: e.sort_key)
                ],
            }
        )
    return {"journal": {"children": children, "check_ins": check_in_rows, **_sharing(user)}}


def _sharing(user: User) -> dict:
    reminder = ReminderSetting.objects.filter(user=user).first()
    return {
        "daily_reminder": {
            "on": reminder.enabled,
            "hour": reminder.hour,
            "time_zone": reminder.time_zone,
            "language": reminder.get_language_display(),
        }
        if reminder
        else None,
        "invitations_sent": [
            {
                "email": invite.email,
                "role": invite.get_role_display(),
                "sent_at": invite.sent_at.isoformat() if invite.sent_at else None,
                "accepted": bool(invite.accepted_at),
                "withdrawn": bool(invite.revoked_at),
            }
            for invite in CaregiverInvite.objects.filter(invited_by=user).order_by("id")
        ],
        "share_links": [
            {
                "for": link.recipient,
                "made_at": link.created_at.isoformat(),
                "expires_at": link.expires_at.isoformat(),
                "revoked_at": link.revoked_at.isoformat() if link.revoked_at else None,
                "opened_at": [view.viewed_at.isoformat() for view in link.views.all()],
            }
            for link in ShareLink.objects.filter(created_by=user).prefetch_related("views").order_by("id")
        ],
    }


def export_size(user: User) -> int:
    child_ids = Caregiver.objects.filter(user=user).values("child_id")
    return CheckIn.objects.filter(child_id__in=child_ids).count() + Event.objects.filter(child_id__in=child_ids).count()


def erase(user: User, *, delete_posts: bool) -> None:
    links = list(
        Caregiver.objects.filter(user=user).annotate(caregivers=Count("child__caregiver_links")).order_by("child_id")
    )
    alone = [link.child_id for link in links if link.caregivers == 1]
    for link in links:
        if link.caregivers > 1 and link.is_owner:
            services.hand_over_ownership(child_id=link.child_id, leaving=user)
    Caregiver.objects.filter(user=user).delete()
    Child.objects.filter(pk__in=alone).delete()  # with their schools, check-ins and events
    CheckIn.objects.filter(logged_by=user).update(logged_by=None)
    Event.objects.filter(created_by=user).update(created_by=None)
    CaregiverInvite.objects.filter(invited_by=user).delete()
    CaregiverInvite.objects.filter(accepted_by=user).update(accepted_by=None)
    ShareLink.objects.filter(created_by=user).delete()
    ReminderSetting.objects.filter(user=user).delete()
    Reminder.objects.filter(user=user).delete()
