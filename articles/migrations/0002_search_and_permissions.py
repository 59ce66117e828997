"""PostgreSQL full-text search for articles, and the staff groups' permissions.

The search vector is kept by a trigger rather than by Python, so bulk updates and raw SQL keep it
current too. Weights: title A, summary B, body text C. SQLite (`make run`'s first look) gets
neither the trigger nor the GIN index (nor pg_trgm, used for the misspelling fallback); articles/search.py falls back to a contains-search there.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGGER_SQL = """
CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.summary, '')), 'B') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.body_text, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_search_vector_update
  BEFORE INSERT OR UPDATE OF title, summary, body_text ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();
UPDATE articles_article SET title = title;
"""
DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS articles_article_search_vector_update ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
"""
SEARCH_INDEX = GinIndex(fields=["search_vector"], name="articles_search_vector_gin")

EDITOR_PERMISSIONS = [
    "add_article", "change_article", "view_article",
    "add_reference", "change_reference", "delete_reference", "view_reference",
    "add_category", "change_category", "view_category",
    "add_tag", "change_tag", "view_tag",
    "view_review", "view_revision",
]  # fmt: skip
REVIEWER_PERMISSIONS = [
    "view_article", "view_reference", "view_category", "view_tag", "view_review", "view_revision",
]  # fmt: skip
GROUP_PERMISSIONS = {"Editors": EDITOR_PERMISSIONS, "Medical reviewers": REVIEWER_PERMISSIONS}


def add_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGGER_SQL)
    schema_editor.add_index(apps.get_model("articles", "Article"), SEARCH_INDEX)


def remove_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("articles", "Article"), SEARCH_INDEX)
    schema_editor.execute(DROP_TRIGGER_SQL)


def grant_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now to grant them.
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def revoke_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUP_PERMISSIONS):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="articles"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        TrigramExtension(),  # a no-op on SQLite
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="article", index=SEARCH_INDEX)],
            database_operations=[migrations.RunPython(add_search, remove_search)],
        ),
        migrations.RunPython(grant_permissions, revoke_permissions),
    ]
