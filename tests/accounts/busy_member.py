"""A member who has done everything the portal stores something about, made through the services."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from alerts import services as alerts_services
from alerts.models import ExposureReport, School, SchoolContact, Subscription
from community import services as community_services
from community.models import MemberSettings, Post, Reaction, Story, Thread
from moderation import services as moderation_services
from moderation.models import Flag
from tests.alerts.factories import SchoolFactory, SubscriptionFactory
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

# Only the earlier version of the member's edited reply ever held this phrase.
EDITED_AWAY_PHRASE = "violet-lantern-4471 Theodore"


@dataclass
class BusyMember:
    user: User
    email: str
    display_name: str
    moderator: User
    other: User
    own_thread: Thread
    reply: Post
    story: Story
    reacted_post: Post
    followed_thread: Thread
    notified_post: Post
    flag: Flag
    school: School
    subscription: Subscription
    contact: SchoolContact
    report: ExposureReport


def busy_member(*, email: str = "rowan.parent@example.org", display_name: str = "Rowan Harbor") -> BusyMember:
    """Posted, edited, told a story, reacted, followed, was notified, flagged, reported, subscribed
    with the account's address, became a verified school contact, was warned and suspended."""
    moderator = ModeratorFactory(display_name="Harbor Moderator")
    other = UserFactory(display_name="Other Parent")
    member = UserFactory(email=email, display_name=display_name)

    own_thread = community.thread(author=member, title="Night terrors after strep", body="Our first month.")
    others_thread = community.thread(author=other, title="IVIG questions", body="Has anyone tried IVIG?")
    reply = community_services.reply(author=member, thread=others_thread, body=f"Our son {EDITED_AWAY_PHRASE} had it.")
    community_services.edit_post(editor=member, post=reply, body="We tried it in spring.")
    story = community.story(author=member, regimen="Three rounds of azithromycin", before=9, m1=4)
    reacted_post = others_thread.posts.get(is_opening=True)
    community_services.toggle_reaction(user=member, post=reacted_post, kind=Reaction.Kind.HELPFUL)
    followed_thread = community.thread(author=other, title="School accommodations", body="What worked?")
    community_services.follow_thread(user=member, thread=followed_thread)
    community_services.set_email_preference(user=member, emails=MemberSettings.Emails.DAILY)
    notified_post = community_services.reply(author=other, thread=own_thread, body="Thinking of you.")
    flag = moderation_services.flag_post(
        flagger=member, post=reacted_post, reason=Flag.Reason.OTHER, note="Flag note: this advice looks risky"
    )
    # Someone flags the member's reply: the export must never say who.
    moderation_services.flag_post(flagger=other, post=reply, reason=Flag.Reason.OTHER, note="Flagged by the other")

    school = SchoolFactory(name="Maplewood Elementary")
    subscription = SubscriptionFactory(email=email, school=school)
    today = timezone.localdate()
    report = alerts_services.submit_report(
        reporter=member,
        school=school,
        kind="strep",
        window_start=today - datetime.timedelta(days=3),
        window_end=today - datetime.timedelta(days=1),
        note_to_moderators="Report note: two cases in one class",
    )
    contact = alerts_services.request_contact(user=member, school=school, role_at_school="School nurse")
    contact = alerts_services.verify_contact(contact=contact, moderator=moderator)

    moderation_services.warn(moderator=moderator, member=member, reason="Please keep replies kind.")
    moderation_services.suspend(moderator=moderator, member=member, days=3, reason="Repeated unkind replies.")
    member.refresh_from_db()
    return BusyMember(
        user=member,
        email=email,
        display_name=display_name,
        moderator=moderator,
        other=other,
        own_thread=own_thread,
        reply=reply,
        story=story,
        reacted_post=reacted_post,
        followed_thread=followed_thread,
        notified_post=notified_post,
        flag=flag,
        school=school,
        subscription=subscription,
        contact=contact,
        report=report,
    )
