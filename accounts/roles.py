from django.db import models


class Role(models.TextChoices):
    """Staff roles. Each is a Django group of the same name, created by a data migration."""

    MODERATOR = "Moderators", "Moderator"
    EDITOR = "Editors", "Editor"
    MEDICAL_REVIEWER = "Medical reviewers", "Medical reviewer"
