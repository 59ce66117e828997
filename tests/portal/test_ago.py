"""Times people read: "just now", never "0 minutes ago"."""

import datetime

from django.utils import timezone

from portal.templatetags.portal_tags import ago


def test_under_a_minute_is_just_now_and_later_times_say_how_long_ago():
    now = timezone.now()
    assert ago(now - datetime.timedelta(seconds=20)) == "just now"
    assert ago(now - datetime.timedelta(hours=3, minutes=1)) == "3\xa0hours, 1\xa0minute ago"
