from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal import bounces, inbound  # noqa: F401  (connect the provider's tracking and inbound signals)
