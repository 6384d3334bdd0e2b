from django.urls import path

from . import account_views

app_name = "accounts"
urlpatterns = [
    path("", account_views.account_list, name="list"),
    path("nouveau/", account_views.account_create, name="create"),
    path("<int:account_id>/", account_views.account_detail, name="detail"),
]
