from django.db import migrations, models

WITHHOLDING_ACTIONS = ["post.hold", "post.hide", "post.approve"]


def backfill(apps, schema_editor):
    """Threads whose opening post is not visible stop being public; posts a moderator ever held,
    hid or approved (or that are held or hidden now) have their later edits checked again."""
    Thread = apps.get_model("community", "Thread")
    Post = apps.get_model("community", "Post")
    ModerationAction = apps.get_model("moderation", "ModerationAction")
    ContentType = apps.get_model("contenttypes", "ContentType")
    hidden_openings = Post.objects.filter(is_opening=True).exclude(visibility="visible").values("thread_id")
    Thread.objects.filter(pk__in=hidden_openings).update(opening_visible=False)
    Post.objects.filter(visibility__in=["held", "hidden"]).update(was_withheld=True)
    post_type = ContentType.objects.filter(app_label="community", model="post").first()
    if post_type is not None:
        checked = ModerationAction.objects.filter(target_type=post_type, action__in=WITHHOLDING_ACTIONS)
        ids = {int(pk) for pk in checked.values_list("target_id", flat=True) if pk.isdigit()}
        Post.objects.filter(pk__in=ids).update(was_withheld=True)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_post_newest_index"),
        ("moderation", "0002_action_details"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="was_withheld",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="thread",
            name="opening_visible",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
