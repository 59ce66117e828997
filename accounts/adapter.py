from allauth.account.adapter import DefaultAccountAdapter
from django.utils import timezone


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Set the pseudonym before the first save: the member row never exists without one.
        user.display_name = form.cleaned_data["display_name"]
        user.rules_accepted_at = timezone.now()
        return super().save_user(request, user, form, commit=commit)
