import re

from django import forms
from django.core.validators import RegexValidator

from community.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, MemberSettings, Story
from community.privacy import privacy_warnings

TITLE_MIN_LENGTH = 5
# A title is one line: it goes into email subjects and headers, where a line break is refused.
SINGLE_LINE = RegexValidator(
    r"[\r\n\x85\u2028\u2029]", inverse_match=True, message="Please keep the title on one line."
)


class PrivacyCheckedForm(forms.Form):
    """A compose form whose text is checked for identifying details before posting.

    The check warns and never blocks: the first submit comes back with the warning and a
    "Post anyway" button (the hidden `post_anyway` field), the text kept.
    """

    checked_fields: tuple[str, ...] = ("body",)
    post_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def privacy_warnings(self) -> list[str]:
        if self.cleaned_data.get("post_anyway"):
            return []
        text = "\n".join(str(self.cleaned_data.get(name, "")) for name in self.checked_fields)
        # Quoted lines (a quote's "**Night Owl Mum** wrote:" included) were checked when first posted.
        own_words = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
        return privacy_warnings(own_words)


# Characters that show nothing: a message made only of them is an empty message.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")


class BodyField(forms.CharField):
    """A post's text. The limit is stated and counted (static/js/character-count.js), never applied
    by cutting: a textarea's `maxlength` makes browsers drop the end of a long paste silently."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if INVISIBLE.sub("", value).strip() else ""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["data-character-limit"] = str(self.max_length)
        return attrs


def body_field(label: str = "Your message", help_text: str = "Markdown works: **bold**, *italic*, > quote, - list."):
    return BodyField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        help_text=f"{help_text} Up to {BODY_MAX_LENGTH:,} characters.",
        strip=True,
        error_messages={
            "required": "Please write something before posting.",
            "max_length": f"That is too long: please keep it under {BODY_MAX_LENGTH:,} characters "
            "(it has %(show_value)d). Nothing was cut: your whole text is below.",
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )


def title_field(label: str = "Title"):
    return forms.CharField(
        label=label,
        min_length=TITLE_MIN_LENGTH,
        max_length=TITLE_MAX_LENGTH,
        validators=[SINGLE_LINE],
        error_messages={
            "required": "Please give your thread a title.",
            "min_length": f"Please make the title at least {TITLE_MIN_LENGTH} characters long.",
            "max_length": f"Please keep the title under {TITLE_MAX_LENGTH} characters (it has %(show_value)d).",
        },
        widget=forms.TextInput(),
    )


class ThreadForm(PrivacyCheckedForm):
    checked_fields = ("title", "body")
    title = title_field()
    body = body_field()


class ReplyForm(PrivacyCheckedForm):
    body = body_field("Your reply")


class EditForm(PrivacyCheckedForm):
    body = body_field("Your post")


SEVERITY_HELP = "0 = no symptoms, 10 = the worst they have been. The portal's own scale, not a validated one."


def severity_field(label: str, *, required: bool):
    return forms.TypedChoiceField(
        label=label,
        required=required,
        coerce=int,
        empty_value=None,
        choices=[("", "Not yet / not known")] + [(n, str(n)) for n in range(11)]
        if not required
        else [("", "Choose 0 to 10")] + [(n, str(n)) for n in range(11)],
        help_text=SEVERITY_HELP,
        error_messages={"required": "Please choose a number from 0 to 10."},
    )


class StoryFiguresMixin(forms.Form):
    severity_1_month = severity_field("Symptom severity 1 month after starting", required=False)
    severity_3_months = severity_field("Symptom severity at 3 months", required=False)
    severity_6_months = severity_field("Symptom severity at 6 months", required=False)
    side_effects = forms.MultipleChoiceField(
        label="Side effects",
        choices=Story.SideEffect.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick all that applied.",
    )
    insurance = forms.ChoiceField(
        label="Insurance outcome",
        choices=[("", "Choose one"), *Story.Insurance.choices],
        error_messages={"required": "Please choose an insurance outcome (or “Does not apply”)."},
    )

    def clean_side_effects(self):
        chosen = self.cleaned_data["side_effects"]
        if Story.SideEffect.NONE in chosen and len(chosen) > 1:
            raise forms.ValidationError("“None” cannot be ticked together with a side effect.")
        return chosen


class StoryForm(StoryFiguresMixin, PrivacyCheckedForm):
    checked_fields = ("title", "regimen", "narrative")
    field_order = [
        "title", "treatment", "age_band", "regimen", "severity_before", "severity_1_month", "severity_3_months",
        "severity_6_months", "side_effects", "insurance", "narrative",
    ]  # fmt: skip

    title = title_field("A title for your story")
    treatment = forms.ChoiceField(
        label="Treatment",
        choices=[("", "Choose a treatment"), *Story.Treatment.choices],
        error_messages={"required": "Please choose the treatment this story is about."},
    )
    age_band = forms.ChoiceField(
        label="Your child's age at the time",
        choices=[("", "Choose an age band"), *Story.AgeBand.choices],
        help_text="An age band only: we never ask for a birth date.",
        error_messages={"required": "Please choose an age band."},
    )
    regimen = forms.CharField(
        label="Regimen",
        max_length=200,
        required=False,
        help_text="For example “2 g/kg over 2 days” or “amoxicillin, 6 weeks”.",
    )
    severity_before = severity_field("Symptom severity before treatment", required=True)
    narrative = body_field("Your story", "What happened, what helped, what you wish you had known. Markdown works.")


# What a link may fill in on a new story (e.g. the journal's figures): choices only, never free text.
PREFILLABLE = ("treatment", "age_band", "severity_before", "severity_1_month", "severity_3_months", "severity_6_months")


def story_initial(query) -> dict:
    """Initial values for a new story from a query string: each valid choice kept, anything else ignored.
    Initial values only: nothing is saved until the member submits the form."""
    found = {}
    for name in PREFILLABLE:
        value = query.get(name, "")
        if value == "":
            continue
        try:
            found[name] = StoryForm.base_fields[name].clean(value)
        except forms.ValidationError:
            continue
    return found


class StoryUpdateForm(StoryFiguresMixin, forms.Form):
    pass


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MemberSettings
        fields = ["emails"]
        labels = {"emails": "Emails about replies in threads you follow"}
        widgets = {"emails": forms.RadioSelect}
