from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alerts import services
from alerts.models import Grade, Kind, School, Scope, Subscription
from alerts.querysets import SCHOOL_SEARCH_LIMIT

NEVER_WRITE = "Never write a child's name, initials, age, class teacher, description or photo, nor your own name."


class SchoolField(forms.ModelChoiceField):
    """Any school is valid; the page lists only those matching the search (see `limit_school_choices`)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=School.objects.all(),
            to_field_name="slug",
            empty_label=_("Choose a school"),
            error_messages={
                "invalid_choice": _("We do not know that school. Search for it and pick it from the list.")
            },
            **kwargs,
        )

    def label_from_instance(self, school):
        return f"{school.name} — {school.city}" + (f", {school.region}" if school.region else "")


def limit_school_choices(form: forms.Form, *, query: str, selected: str = "") -> list[School]:
    """Show the schools matching `query` (or the first ones), plus the one already chosen."""
    field = form.fields["school"]
    shown = list(
        School.objects.search(query)[:SCHOOL_SEARCH_LIMIT] if query else School.objects.all()[:SCHOOL_SEARCH_LIMIT]
    )
    if selected and selected not in {school.slug for school in shown}:
        shown = list(School.objects.filter(slug=selected)) + shown
    field.widget.choices = [("", field.empty_label)] + [
        (school.slug, field.label_from_instance(school)) for school in shown
    ]
    return shown


GRADE_OR_WHOLE_SCHOOL = [("", _("Any grade (the whole school)")), *Grade.choices]
GRADE_HELP = _("Optional: you then hear about your child's grade and the whole school.")


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    school = SchoolField(label="School")
    role = forms.ChoiceField(label="You are", choices=Subscription.SubscriberRole.choices)
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=GRADE_OR_WHOLE_SCHOOL,
        required=False,
        help_text=GRADE_HELP,
    )
    delivery = forms.ChoiceField(label=_("Send alerts"), choices=Subscription.Frequency.choices)
    language = forms.ChoiceField(label=_("Language of the emails"), choices=Subscription.Language.choices)


class AddSchoolForm(forms.Form):
    school = SchoolField(label=_("Another school"))


class PreferencesForm(forms.Form):
    """What a subscriber may change without subscribing again: grade, how often, which language."""

    grade = forms.ChoiceField(label=_("Grade"), choices=GRADE_OR_WHOLE_SCHOOL, required=False, help_text=GRADE_HELP)
    delivery = forms.ChoiceField(label=_("Send alerts"), choices=Subscription.Frequency.choices)
    language = forms.ChoiceField(label=_("Language of the emails"), choices=Subscription.Language.choices)

    @classmethod
    def for_subscription(cls, subscription: Subscription, **kwargs) -> "PreferencesForm":
        initial = {"grade": subscription.grade, "delivery": subscription.delivery, "language": subscription.language}
        return cls(initial=initial, **kwargs)


class ContactRequestForm(forms.Form):
    school = SchoolField(label="School")
    role_at_school = forms.CharField(
        label="Your role at the school", max_length=80, help_text="For example: school nurse, principal's office."
    )


class ReportForm(forms.Form):
    school = SchoolField(label="School")
    kind = forms.ChoiceField(label="What was diagnosed", choices=Kind.choices)
    scope = forms.ChoiceField(
        label="Who was exposed",
        choices=Scope.choices,
        help_text="Classroom-level reports are possible only where the school has allowed them.",
    )
    grade = forms.ChoiceField(label="Grade", choices=[("", "—"), *Grade.choices], required=False)
    classroom = forms.CharField(
        label="Classroom",
        max_length=20,
        required=False,
        help_text="A room number or class code only, such as “Room 12”. Never a teacher's or a child's name.",
    )
    window_start = forms.DateField(label="First day of exposure", widget=forms.DateInput(attrs={"type": "date"}))
    window_end = forms.DateField(
        label="Last day of exposure", widget=forms.DateInput(attrs={"type": "date"}), help_text="At most 14 days."
    )
    note_to_moderators = forms.CharField(
        label="Note to moderators",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only moderators read this; it is never emailed. How do you know? " + NEVER_WRITE,
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        scope = data["scope"]
        label = data.get("grade", "") if scope == Scope.GRADE else data.get("classroom", "").strip()
        data["scope_label"] = label if scope != Scope.SCHOOL else ""
        try:
            services.validate_report(
                school=data["school"],
                scope=scope,
                scope_label=data["scope_label"],
                window_start=data["window_start"],
                window_end=data["window_end"],
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                target = {"scope_label": "grade" if scope == Scope.GRADE else "classroom"}.get(name, name)
                for message in messages:
                    self.add_error(target, message)
        return data
