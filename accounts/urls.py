from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.account, name="account"),
    path("me/export/", views.export_data, name="export"),
    path("me/export/<str:token>/", views.export_download, name="export_download"),
    # Before allauth's own logout (same path): it also clears the drafts kept in the browser.
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/delete/", views.delete_account, name="delete"),
    # allauth's own path and name (allauth reverses it), answered by ours: it names the address.
    path("confirm-email/", views.EmailVerificationSentView.as_view(), name="email_verification_sent"),
]
