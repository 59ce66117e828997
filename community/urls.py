from django.urls import path

from community import feeds, views

app_name = "community"

urlpatterns = [
    path("", views.index, name="index"),
    path("stories/", views.stories, name="stories"),
    path("stories/new/", views.new_story, name="new_story"),
    path("stories/outcomes/", views.story_outcomes, name="outcomes"),
    path("stories/<int:pk>/update/", views.update_story, name="update_story"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/follow/", views.follow, name="follow"),
    path("t/<int:pk>/<slug:slug>/", views.thread, name="thread"),
    path("posts/<int:post_id>/edit/", views.edit_post, name="edit_post"),
    path("posts/<int:post_id>/delete/", views.delete_post, name="delete_post"),
    path("posts/<int:post_id>/history/", views.post_history, name="post_history"),
    path("posts/<int:post_id>/react/", views.react, name="react"),
    path("notifications/", views.notifications, name="notifications"),
    path("settings/", views.member_settings, name="settings"),
    path("members/<int:pk>/", views.member, name="member"),
    path("unfollow/<str:token>/", views.unfollow_by_link, name="unfollow"),
    path("<slug:slug>/", views.forum, name="forum"),
    path("<slug:slug>/new/", views.new_thread, name="new_thread"),
    path("<slug:slug>/feed/", feeds.ForumFeed(), name="forum_feed"),
]
