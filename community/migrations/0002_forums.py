from django.db import migrations

FORUMS = [
    ("Newly diagnosed", "newly-diagnosed", "First weeks after a PANDAS/PANS diagnosis: questions, tests, where to start."),
    ("IVIG and other treatments", "treatments", "IVIG, antibiotics, steroids, NSAIDs, tonsillectomy, plasma exchange."),
    ("Strep and infections", "strep-and-infections", "Strep exposures, testing, flares after infections."),
    ("School and 504 plans", "school", "Accommodations, 504 plans and IEPs, talking with teachers."),
    ("Insurance and costs", "insurance", "Coverage, denials, appeals and the cost of care."),
    ("Parent wellbeing", "parent-wellbeing", "For you, the parent. Members only: not visible to the public."),
    ("Recovery stories", "recovery-stories", "Treatment experiences and recoveries, shared to help others."),
]


def create_forums(apps, schema_editor):
    Forum = apps.get_model("community", "Forum")
    for order, (name, slug, description) in enumerate(FORUMS):
        Forum.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "order": order,
                "members_only": slug == "parent-wellbeing",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(create_forums, migrations.RunPython.noop)]
