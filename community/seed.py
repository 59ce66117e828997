"""Demo community content for `seed_demo`: a few threads and enough stories for the outcomes page.

Forums themselves come from a data migration (they exist in production too). The demo content is
written by the demo parent account, so it is only added when `--demo-users` created one.
"""

from accounts.models import User
from community import services
from community.models import Forum, Story, Thread
from moderation import policy

DEMO_AUTHOR = "parent@example.org"
THREADS = [
    ("newly-diagnosed", "Where did you start after the diagnosis?",
     "Our son's OCD appeared almost overnight after strep. What did you ask the pediatrician first?"),
    ("school", "504 plan: which accommodations helped?",
     "Extra time and a quiet room helped us. What worked for your child during flares?"),
    ("insurance", "Appealing an IVIG denial",
     "Our first request was denied. The appeal letter that worked listed each prior treatment with dates."),
]  # fmt: skip
# Like real reports, the demo stories do not all improve: some change little or get worse, and
# several families stop before the 6-month figure.
STORIES = [
    (Story.Treatment.IVIG, "5-8", "2 g/kg over 2 days", 8, 6, 4, 3, ["headache", "fatigue"], "appealed_won"),
    (Story.Treatment.IVIG, "9-12", "2 g/kg over 2 days", 9, 7, 5, 4, ["headache"], "covered"),
    (Story.Treatment.IVIG, "5-8", "1.5 g/kg over 2 days", 7, 6, 7, 8, ["nausea", "serious"], "denied"),
    (Story.Treatment.IVIG, "13-17", "2 g/kg over 2 days", 8, 7, 7, None, ["headache", "fever"], "partly"),
    (Story.Treatment.IVIG, "9-12", "2 g/kg, monthly x3", 9, 8, 5, None, ["fatigue"], "covered"),
    (Story.Treatment.ANTIBIOTICS, "5-8", "amoxicillin, 6 weeks", 6, 6, 7, None, ["none"], "covered"),
    (Story.Treatment.CBT_ERP, "9-12", "weekly ERP sessions for 12 weeks", 7, 6, 4, 4, ["none"], "partly"),
    (Story.Treatment.MEDICATION, "13-17", "low-dose SSRI, raised slowly", 8, 7, 6, None, ["agitation"], "covered"),
]


def seed(*, stdout) -> None:
    author = User.objects.filter(email=DEMO_AUTHOR).first()
    if author is None:
        stdout.write("  community: forums in place (demo threads need --demo-users)")
        return
    with policy.system_content():  # demo content is not a new member posting: no holds, no rate limits
        created = _seed_threads_and_stories(author)
    stdout.write(f"  community: {created} demo threads and stories added")


def _seed_threads_and_stories(author) -> int:
    created = 0
    for slug, title, body in THREADS:
        if not Thread.objects.filter(title=title).exists():
            services.create_thread(author=author, forum=Forum.objects.get(slug=slug), title=title, body=body)
            created += 1
    if not Story.objects.exists():
        for number, (treatment, age, regimen, before, m1, m3, m6, effects, insurance) in enumerate(STORIES, 1):
            services.create_story(
                author=author,
                title=f"Our {treatment.label} experience ({number})",
                narrative="A demo story: the first weeks were hard, then things slowly improved.",
                treatment=treatment,
                age_band=age,
                regimen=regimen,
                severity_before=before,
                severity_1_month=m1,
                severity_3_months=m3,
                severity_6_months=m6,
                side_effects=effects,
                insurance=insurance,
            )
            created += 1
    return created
