from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed
from portal.pagecache import cache_anonymous_page

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed/", cache_anonymous_page(LatestArticlesFeed()), name="feed"),
    path("reviewers/<slug:slug>/", views.reviewer_profile, name="reviewer"),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
