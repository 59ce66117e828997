"""Every model that can hold something about a member is covered by some app's member_data.py."""

from django.apps import apps
from django.conf import settings
from django.db import models

from portal.hooks import app_modules

# A CharField this long, without choices, holds free text someone typed (a title, a note, a name).
FREE_TEXT_MIN_LENGTH = 200


def holds_member_data(model) -> list[str]:
    """Why `model` may hold something about a member: its user links, addresses and free text."""
    reasons = []
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is not None:
            if field.related_model._meta.label == settings.AUTH_USER_MODEL:
                reasons.append(f"{field.name} (member)")
        elif isinstance(field, models.EmailField):
            reasons.append(f"{field.name} (email address)")
        elif isinstance(field, models.TextField | models.JSONField) or (
            isinstance(field, models.CharField)
            and not isinstance(field, models.SlugField | models.URLField)
            and not field.choices
            and (field.max_length or 0) >= FREE_TEXT_MIN_LENGTH
        ):
            reasons.append(f"{field.name} (free text)")
    return reasons


def covered() -> dict[str, str]:
    labels = {}
    for module in app_modules("member_data"):
        labels.update(module.COVERS)
    return labels


def test_every_model_with_a_member_link_an_address_or_free_text_says_how_it_is_exported_and_erased():
    coverage = covered()
    missing = {
        model._meta.label: holds_member_data(model)
        for model in apps.get_models()
        if holds_member_data(model) and model._meta.label not in coverage
    }
    assert missing == {}, "add these models to some app's member_data.COVERS (and export and erase them)"


def test_every_member_data_module_exports_and_erases_and_names_real_models():
    modules = list(app_modules("member_data"))
    assert {module.__name__ for module in modules} == {
        "accounts.member_data",
        "articles.member_data",
        "community.member_data",
        "moderation.member_data",
        "alerts.member_data",
        "journal.member_data",
    }
    for module in modules:
        assert callable(module.export) and callable(module.erase)
        for label, how in module.COVERS.items():
            assert apps.get_model(label) and how.strip()


def test_the_walk_notices_a_model_holding_member_data():
    class NoteAboutAMember(models.Model):
        author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        text = models.TextField()

        class Meta:
            app_label = "accounts"

        def __str__(self):
            return self.text

    try:
        assert holds_member_data(NoteAboutAMember) == ["author (member)", "text (free text)"]
        assert NoteAboutAMember._meta.label not in covered()
    finally:
        apps.all_models["accounts"].pop("noteaboutamember", None)
        apps.clear_cache()
