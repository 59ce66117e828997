from django.urls import path

from moderation import member_views, suppression_views, views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("posts/<int:post_id>/decide/", views.decide_post, name="decide_post"),
    path("reports/<int:report_id>/decide/", views.decide_report, name="decide_report"),
    path("contacts/<int:contact_id>/decide/", views.decide_contact, name="decide_contact"),
    path("log/", views.log, name="log"),
    path("guide/", views.guide, name="guide"),
    path("crisis-phrases.json", views.crisis_phrases, name="crisis_phrases"),
    path("log.csv", views.log_csv, name="log_csv"),
    path("watched-words/", views.watched_words, name="watched_words"),
    path("suppressions/", suppression_views.suppressions, name="suppressions"),
    path("watched-words/<int:word_id>/remove/", views.remove_watched_word, name="remove_watched_word"),
    path("flag/<int:post_id>/", views.flag, name="flag"),
    path("threads/<int:thread_id>/", views.thread_tools, name="thread_tools"),
    path("members/", member_views.members, name="members"),
    path("members/<int:member_id>/", member_views.member, name="member"),
    path("members/<int:member_id>/warn/", member_views.warn_member, name="member_warn"),
    path("members/<int:member_id>/suspend/", member_views.suspend_member, name="member_suspend"),
    path("members/<int:member_id>/lift/", member_views.lift_suspension, name="member_lift"),
    path("members/<int:member_id>/ban/", member_views.ban_member, name="member_ban"),
]
