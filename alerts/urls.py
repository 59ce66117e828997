from django.urls import path
from django.views.decorators.http import require_safe

from alerts import views
from alerts.feeds import SchoolAlertsFeed
from portal.pagecache import cache_anonymous_page

app_name = "alerts"

urlpatterns = [
    path("", views.index, name="index"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/check-your-email/", views.subscribe_sent, name="subscribe_sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("confirm/<str:token>/add-school/", views.confirm_add_school, name="confirm_add_school"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("report/", views.report, name="report"),
    path("report/<int:pk>/sent/", views.report_sent, name="report_sent"),
    path("contact/", views.contact_request, name="contact_request"),
    path("my/", views.my_alerts, name="my_alerts"),
    path("my/<int:pk>/", views.my_subscription, name="my_subscription"),
    path("audit/", views.audit, name="audit"),
    path("schools/search.json", views.school_search, name="school_search"),
    path("schools/<slug:slug>/", views.school_detail, name="school"),
    path("schools/<slug:slug>/feed/", require_safe(cache_anonymous_page(SchoolAlertsFeed())), name="school_feed"),
]
