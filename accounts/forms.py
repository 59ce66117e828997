from django import forms
from django.urls import reverse
from django.utils.html import format_html

from accounts import names
from accounts.models import display_name_validator
from accounts.selectors import display_name_taken

DISPLAY_NAME_MAX_LENGTH = 30


def checked_display_name(raw: str, *, member_pk: int | None = None) -> str:
    """A display name with its spaces tidied, or a ValidationError in the member's words.

    `member_pk`: the member changing their own name (their current name is not "taken").
    """
    name = " ".join(names.normalized(raw).split())
    if "@" in name:
        raise forms.ValidationError("A display name cannot be an email address.")
    if names.has_invisible_characters(name):
        raise forms.ValidationError("A display name cannot hold invisible characters. Please use letters you can see.")
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise forms.ValidationError(f"Please keep the display name under {DISPLAY_NAME_MAX_LENGTH} characters.")
    if names.is_reserved(name):
        raise forms.ValidationError(
            "That name could be mistaken for the portal or its moderators. Please choose another."
        )
    if display_name_taken(name, exclude_pk=member_pk):
        raise forms.ValidationError("That display name is taken. Please choose another.")
    return name


class SignupDetailsForm(forms.Form):
    """What allauth's signup form asks beyond email and password (ACCOUNT_SIGNUP_FORM_CLASS).

    The values are stored by `accounts.adapter.AccountAdapter.save_user`, in the same save that
    creates the member, so a member never exists without a display name.
    """

    display_name = forms.CharField(
        label="Display name",
        max_length=30,
        validators=[display_name_validator],
        help_text="Shown next to everything you post. Choose a pseudonym: not your real name, and never your child's.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    agree_to_rules = forms.BooleanField(
        label="I have read and agree to the community rules",
        error_messages={"required": "Please agree to the community rules to join."},
    )

    field_order = ["email", "display_name", "password1", "password2", "agree_to_rules"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agree_to_rules"].help_text = format_html(
            'Read the <a href="{}">community rules</a>.', reverse("community_rules")
        )

    def clean_display_name(self):
        return checked_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        """Required by allauth; the adapter has already stored everything."""


class DisplayNameForm(forms.Form):
    display_name = SignupDetailsForm.base_fields["display_name"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_display_name(self):
        return checked_display_name(self.cleaned_data["display_name"], member_pk=self.user.pk)


class DeleteAccountForm(forms.Form):
    KEEP, DELETE = "keep", "delete"

    posts = forms.ChoiceField(
        label="What happens to your posts?",
        choices=[
            (KEEP, "Keep my posts, under “Former member” instead of my name, so conversations still make sense"),
            (DELETE, "Delete my posts too (threads I started are deleted with their replies)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether your posts stay or go."},
    )
    confirm = forms.BooleanField(
        label="I understand: my account is deleted for good",
        error_messages={"required": "Tick the box to confirm you want to delete your account."},
    )

    @property
    def delete_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.DELETE
