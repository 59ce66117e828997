"""Demo community content for `seed_demo`: a few threads and enough stories for the outcomes page.

Forums themselves come from a data migration (they exist in production too). The demo content is
written by the demo parent account, so it is only added when `--demo-users` created one.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from community import services
from community.models import Forum, Post, Story, Thread
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
    started = timezone.now()
    for slug, title, body in THREADS:
        if not Thread.objects.filter(title=title).exists():
            services.create_thread(author=author, forum=Forum.objects.get(slug=slug), title=title, body=body)
            created += 1
    if not Story.objects.exists():
        for number, (treatment, age, regimen, before, m1, m3, m6, effects, insurance) in enumerate(STORIES, 1):
            services.create_story(
                author=author,
                title=f"Our {treatment.label} experience ({number})",
                narrative="A demo story: how the weeks went for us, and what we would tell another family.",
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
    _backdate(author, since=started)
    return created


def _backdate(author, *, since) -> None:
    """Spread the demo content over the past weeks. Written a moment ago, it would also count against
    the demo parent's posting limits, and their first "Start a thread" would be refused."""
    for days, thread in enumerate(Thread.objects.filter(author=author, created_at__gte=since).order_by("id"), 1):
        when = timezone.now() - timedelta(days=3 * days)
        Post.objects.filter(thread=thread).update(created_at=when)
        Thread.objects.filter(pk=thread.pk).update(created_at=when, last_activity_at=when)
        Story.objects.filter(post__thread=thread).update(created_at=when)
