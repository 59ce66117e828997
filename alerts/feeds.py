import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import ngettext

from alerts.models import Alert, School
from portal.templatetags.portal_tags import week_of


class SchoolAlertsFeed(Feed):
    """A school's weekly report counts. Dated by ISO week, never by the exposure's exact days."""

    feed_type = Atom1Feed
    # Atom requires an author for every entry; the counts are the portal's, not a reporter's.
    author_name = "PANDAS Parent Network"

    def get_object(self, request, slug):
        return get_object_or_404(School, slug=slug)

    def title(self, school):
        return f"Strep-exposure alerts: {school.name}"

    def link(self, school):
        return school.get_absolute_url()

    def subtitle(self, school):
        return f"Weekly counts of strep-exposure reports at {school.name}, {school.city}."

    def items(self, school):
        return list(Alert.objects.filter(school=school).weekly_counts()[:20])

    def item_title(self, week):
        reports = ngettext("report", "reports", week["reports"])
        label = week_of(week["iso_year"], week["iso_week"])
        return f"{label[0].upper()}{label[1:]}: {week['reports']} {reports}"

    def item_description(self, week):
        return "Watch for sore throat, fever or rash, and for a child with PANDAS/PANS for sudden behaviour changes."

    def item_link(self, week):
        return f"/alerts/schools/{week['school__slug']}/#week-{week['iso_year']}-{week['iso_week']}"

    def item_guid(self, week):
        # An Atom id must be an IRI: the week's absolute address on the school page, stable across edits.
        return settings.SITE_URL + self.item_link(week)

    def item_updateddate(self, week):
        monday = datetime.date.fromisocalendar(week["iso_year"], week["iso_week"], 1)
        return timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))

    item_pubdate = item_updateddate
