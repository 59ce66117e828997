"""The journal's forms: validation and the parent's words for errors. Services check again."""

from django import forms
from django.utils import timezone

from alerts.forms import SchoolField
from alerts.models import Grade
from journal import events
from journal.models import AgeBand, Child, ReminderSetting
from journal.services import MAX_LABEL_LENGTH, MAX_NOTE_LENGTH
from journal.symptoms import ANCHORS, GROUPS, SCALE

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEVER_NAME = "Never the child's name or initials: the label is for you alone, such as “Our eldest”."


def today():
    return timezone.localdate()


class ChildForm(forms.Form):
    label = forms.CharField(label="What you call this child here", max_length=MAX_LABEL_LENGTH, help_text=NEVER_NAME)
    birth_year = forms.CharField(
        label="Year of birth",
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"pattern": "[0-9]{4}", "autocomplete": "off"}),
        help_text="Or choose an age band below instead.",
    )
    age_band = forms.ChoiceField(label="Age band", choices=[("", "—"), *AgeBand.choices], required=False)
    onset_date = forms.DateField(
        label="Date the symptoms began suddenly (onset)",
        required=False,
        widget=DATE_INPUT,
        help_text="The day you remember it started. You can add or change it later.",
    )
    onset_speed = forms.ChoiceField(
        label="How fast did it come?", choices=[("", "—"), *Child.OnsetSpeed.choices], required=False
    )


class SchoolForm(forms.Form):
    school = SchoolField(label="School")
    grade = forms.ChoiceField(
        label="Grade",
        choices=[("", "Not given (hear about the whole school)"), *Grade.choices],
        required=False,
        help_text="Alerts for this grade and for the whole school become exposures in the journal.",
    )


def _rating_choices():
    return [("", "Not rated"), *((str(n), str(n)) for n in SCALE)]


class CheckInForm(forms.Form):
    date = forms.DateField(label="Day", widget=DATE_INPUT, initial=today)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What happened, what helped. Only the child's caregivers see it.",
    )
    in_report = forms.BooleanField(label="Show this note in the clinician report", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in GROUPS:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=_rating_choices(),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        # The scales first, then the note; the day stays at the top.
        self.order_fields(["date", *(key for key, _ in GROUPS), "note", "in_report"])

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > today():
            raise forms.ValidationError("A check-in cannot be for a day in the future.")
        return day

    def scale_fields(self):
        return [self[key] for key, _ in GROUPS]

    @property
    def ratings(self) -> dict:
        return {key: self.cleaned_data.get(key) for key, _ in GROUPS if self.cleaned_data.get(key) is not None}

    anchors = ANCHORS


class DayForm(forms.Form):
    """The GET form that opens another day's check-in (works without JavaScript)."""

    date = forms.DateField(label="Another day", widget=DATE_INPUT)


class EventForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE_INPUT, initial=today)
    note = forms.CharField(
        label="Note", required=False, max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    in_report = forms.BooleanField(label="Show this note in the clinician report", required=False)
    detail_fields: tuple[str, ...] = ()

    def details(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.detail_fields}


class InfectionForm(EventForm):
    kind = forms.ChoiceField(label="Infection", choices=events.InfectionKind.choices)
    test = forms.ChoiceField(label="Test", choices=events.TestType.choices, initial=events.TestType.RAPID)
    result = forms.ChoiceField(label="Result", choices=events.TestResult.choices, initial=events.TestResult.POSITIVE)
    detail_fields = ("kind", "test", "result")
    field_order = ["kind", "date", "test", "result", "note", "in_report"]


class TreatmentForm(EventForm):
    kind = forms.ChoiceField(label="Treatment", choices=events.TreatmentKind.choices)
    name = forms.CharField(
        label="Medicine or therapy", required=False, max_length=120, help_text="For example: amoxicillin."
    )
    end_date = forms.DateField(
        label="Last day", required=False, widget=DATE_INPUT, help_text="Leave empty if it goes on."
    )
    dose = forms.CharField(label="Dose", required=False, max_length=200)
    reactions = forms.CharField(label="Reactions or side effects", required=False, max_length=500)
    detail_fields = ("kind", "name", "dose", "reactions")
    field_order = ["kind", "name", "date", "end_date", "dose", "reactions", "note", "in_report"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "First day"


class AppointmentForm(EventForm):
    with_whom = forms.CharField(
        label="With", required=False, max_length=120, help_text="For example: paediatrician, PANS clinic."
    )
    field_order = ["date", "with_whom", "note", "in_report"]

    def details(self) -> dict:
        return {"with": self.cleaned_data.get("with_whom") or ""}


EVENT_FORMS = {"infection": InfectionForm, "treatment": TreatmentForm, "appointment": AppointmentForm}


class ExposureStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(events.ExposureStatus.CONFIRMED, "Confirm"), (events.ExposureStatus.DISMISSED, "Dismiss")]
    )


class TimelineForm(forms.Form):
    """The timeline's filters (a GET form)."""

    period = forms.ChoiceField(label="Period", choices=[], required=False)
    groups = forms.MultipleChoiceField(
        label="Symptom groups", choices=GROUPS, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        from journal.timeline import PERIODS

        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(key, label) for key, (label, _) in PERIODS.items()]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Their email address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(
        label="They may",
        choices=[("can_log", "Log check-ins and events, and see everything"), ("can_view", "See everything")],
        initial="can_log",
    )


class ShareLinkForm(forms.Form):
    recipient = forms.CharField(
        label="Who the link is for",
        required=False,
        max_length=80,
        help_text="For your own list, such as “Dr Rivera”. The clinician does not need an account.",
    )
    days = forms.TypedChoiceField(
        label="The link works for",
        coerce=int,
        choices=[(1, "1 day"), (7, "7 days"), (14, "14 days"), (30, "30 days (the longest)")],
        initial=14,
    )


class ReminderForm(forms.Form):
    enabled = forms.BooleanField(label="Email me a daily reminder to check in", required=False)
    hour = forms.TypedChoiceField(
        label="At", coerce=int, choices=[(hour, f"{hour:02d}:00") for hour in range(24)], initial=20
    )
    time_zone = forms.ChoiceField(label="Your time zone", choices=[])
    language = forms.ChoiceField(label="Language of the email", choices=ReminderSetting.Language.choices)

    def __init__(self, *args, **kwargs):
        from journal.reminders import TIME_ZONES

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone.replace("_", " ")) for zone in TIME_ZONES]


class StoryFiguresForm(forms.Form):
    """Which treatment a community story is about (a GET form: choosing it shares nothing)."""

    event = forms.TypedChoiceField(
        label="The treatment your story is about",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose a treatment.", "invalid_choice": "Please choose a treatment."},
    )

    def __init__(self, *args, treatments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [
            (event.pk, f"{events.title(event)}, from {event.date:%-d %B %Y}") for event in treatments
        ]
