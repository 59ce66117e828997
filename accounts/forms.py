from django import forms
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import names
from accounts.models import User, display_name_validator
from accounts.selectors import display_name_taken

DISPLAY_NAME_MAX_LENGTH = 30
# The model's rule, with its message in the member's language (account pages can be in Spanish).
display_name_pattern = RegexValidator(
    display_name_validator.regex, _("Use 3 to 30 letters, digits, spaces, dots, dashes or underscores.")
)


def checked_display_name(raw: str, *, member_pk: int | None = None) -> str:
    """A display name with its spaces tidied, or a ValidationError in the member's words.

    `member_pk`: the member changing their own name (their current name is not "taken").
    """
    name = " ".join(names.normalized(raw).split())
    if "@" in name:
        raise forms.ValidationError(gettext("A display name cannot be an email address."))
    if names.has_invisible_characters(name):
        raise forms.ValidationError(
            gettext("A display name cannot hold invisible characters. Please use letters you can see.")
        )
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise forms.ValidationError(
            gettext("Please keep the display name under %(count)d characters.") % {"count": DISPLAY_NAME_MAX_LENGTH}
        )
    if names.is_reserved(name):
        raise forms.ValidationError(
            gettext("That name could be mistaken for the portal or its moderators. Please choose another.")
        )
    if display_name_taken(name, exclude_pk=member_pk):
        raise forms.ValidationError(gettext("That display name is taken. Please choose another."))
    return name


def language_field(*, required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language of your account pages and emails"),
        choices=User.Language.choices,
        initial=User.Language.ENGLISH,
        required=required,
        widget=forms.RadioSelect,
        help_text=_("The rest of the site is in English for now."),
        error_messages={"required": _("Choose a language."), "invalid_choice": _("Choose English or Español.")},
    )


class SignupDetailsForm(forms.Form):
    """What allauth's signup form asks beyond email and password (ACCOUNT_SIGNUP_FORM_CLASS).

    The values are stored by `accounts.adapter.AccountAdapter.save_user`, in the same save that
    creates the member, so a member never exists without a display name.
    """

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=30,
        validators=[display_name_pattern],
        error_messages={"required": _("Choose a display name.")},
        help_text=_(
            "Shown next to everything you post. Choose a pseudonym: not your real name, and never your child's."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    language = language_field(required=False)
    agree_to_rules = forms.BooleanField(
        label=_("I have read and agree to the community rules"),
        error_messages={"required": _("Please agree to the community rules to join.")},
    )

    field_order = ["email", "display_name", "password1", "password2", "language", "agree_to_rules"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agree_to_rules"].help_text = format_html(
            gettext('Read the <a href="{}">community rules</a>.'), reverse("community_rules")
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


class LanguageForm(forms.Form):
    language = language_field(required=True)


class DeleteAccountForm(forms.Form):
    KEEP, DELETE = "keep", "delete"

    posts = forms.ChoiceField(
        label=_("What happens to your posts?"),
        choices=[
            (KEEP, _("Keep my posts, under “Former member” instead of my name, so conversations still make sense")),
            (DELETE, _("Delete my posts too (threads I started are deleted with their replies)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether your posts stay or go.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand: my account is deleted for good"),
        error_messages={"required": _("Tick the box to confirm you want to delete your account.")},
    )

    @property
    def delete_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.DELETE
