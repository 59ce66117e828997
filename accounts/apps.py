from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from accounts.authority import end_password_only_sessions

        authenticator_added.connect(end_password_only_sessions, dispatch_uid="accounts.end_password_only_sessions")
