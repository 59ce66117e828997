"""A moderator's decision on a member's report: who may decide, and a report is decided once."""

import pytest
from django.core.exceptions import PermissionDenied

from alerts import services
from alerts.models import Alert, ExposureReport
from moderation.models import ModerationAction
from tests.alerts.factories import ExposureReportFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_moderators_approve_or_reject():
    member = UserFactory()
    report = ExposureReportFactory()
    with pytest.raises(PermissionDenied):
        services.approve_report(report=report, moderator=member)
    with pytest.raises(PermissionDenied):
        services.reject_report(report=report, moderator=member)
    report.refresh_from_db()
    assert report.status == ExposureReport.Status.PENDING
    assert not Alert.objects.exists()


def test_rejected_report_makes_no_alert_and_is_logged(moderator):
    report = ExposureReportFactory()
    services.reject_report(report=report, moderator=moderator, reason="duplicate")
    report.refresh_from_db()
    assert report.status == "rejected" and report.reviewed_by == moderator
    assert not Alert.objects.exists()
    assert ModerationAction.objects.get(action="report.reject").reason == "duplicate"
    with pytest.raises(services.InvalidReportState):
        services.approve_report(report=report, moderator=moderator)


def test_awaiting_review_lists_pending_reports_oldest_first(moderator):
    older, newer = ExposureReportFactory(), ExposureReportFactory()
    done = ExposureReportFactory()
    services.reject_report(report=done, moderator=moderator)
    assert list(ExposureReport.objects.awaiting_review()) == [older, newer]


def test_an_approved_report_is_neither_rejected_nor_approved_again(moderator):
    report = ExposureReportFactory()
    alert = services.approve_report(report=report, moderator=moderator)
    for decide in (services.reject_report, services.approve_report):
        with pytest.raises(services.InvalidReportState, match="already approved"):
            decide(report=report, moderator=moderator)
    report.refresh_from_db()
    assert report.status == ExposureReport.Status.APPROVED and report.alert == alert
    alert.refresh_from_db()
    assert alert.report_count == 1
    assert ModerationAction.objects.filter(action="report.approve").count() == 1
