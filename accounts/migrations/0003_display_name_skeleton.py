from django.db import migrations, models

from accounts.names import skeleton


def fill_skeletons(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "display_name").iterator(chunk_size=1000):
        User.objects.filter(pk=user.pk).update(display_name_skeleton=skeleton(user.display_name))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_staff_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name_skeleton",
            field=models.CharField(db_index=True, default="", editable=False, max_length=90),
        ),
        migrations.RunPython(fill_skeletons, migrations.RunPython.noop),
    ]
