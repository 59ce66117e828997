from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.account, name="account"),
    path("me/export/", views.export_data, name="export"),
    path("me/delete/", views.delete_account, name="delete"),
]
