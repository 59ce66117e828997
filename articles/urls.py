from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("reviewers/<slug:slug>/", views.reviewer_profile, name="reviewer"),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
