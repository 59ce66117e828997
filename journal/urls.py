from django.urls import path

from journal import sharing_views, story_views, views

app_name = "journal"

urlpatterns = [
    path("", views.home, name="home"),
    path("children/add/", views.add_child, name="add_child"),
    path("reminders/", sharing_views.reminder_settings, name="reminders"),
    path("children/<int:child_id>/", views.child, name="child"),
    path("children/<int:child_id>/edit/", views.edit_child, name="edit_child"),
    path("children/<int:child_id>/schools/", views.add_school, name="add_school"),
    path("children/<int:child_id>/schools/<int:placement_id>/remove/", views.remove_school, name="remove_school"),
    path("children/<int:child_id>/check-in/", views.check_in, name="check_in"),
    path("children/<int:child_id>/timeline/", views.child_timeline, name="timeline"),
    path("children/<int:child_id>/report/", views.child_report, name="report"),
    path("children/<int:child_id>/report.pdf", views.child_report_pdf, name="report_pdf"),
    path("children/<int:child_id>/events/", views.event_list, name="events"),
    path("children/<int:child_id>/story-figures/", story_views.story_figures_page, name="story_figures"),
    path("children/<int:child_id>/events/add/<slug:category>/", views.add_event, name="add_event"),
    path("children/<int:child_id>/events/<int:event_id>/delete/", views.delete_event, name="delete_event"),
    path("children/<int:child_id>/exposures/<int:event_id>/", views.exposure, name="exposure"),
    path("children/<int:child_id>/sharing/", sharing_views.sharing_page, name="sharing"),
    path("children/<int:child_id>/sharing/invite/", sharing_views.invite_caregiver, name="invite_caregiver"),
    path(
        "children/<int:child_id>/sharing/invites/<int:invite_id>/revoke/",
        sharing_views.revoke_invite,
        name="revoke_invite",
    ),
    path(
        "children/<int:child_id>/sharing/caregivers/<int:caregiver_id>/remove/",
        sharing_views.remove_caregiver,
        name="remove_caregiver",
    ),
    path("children/<int:child_id>/leave/", sharing_views.leave, name="leave"),
    path("children/<int:child_id>/sharing/links/", sharing_views.create_share_link, name="create_share_link"),
    path(
        "children/<int:child_id>/sharing/links/<int:link_id>/revoke/",
        sharing_views.revoke_share_link,
        name="revoke_share_link",
    ),
    path("invites/<str:token>/", sharing_views.accept_invite, name="invite"),
    path("shared/<str:token>/", sharing_views.shared_report, name="shared"),
    path("shared/<str:token>/report.pdf", sharing_views.shared_report_pdf, name="shared_pdf"),
]
