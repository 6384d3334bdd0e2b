from django.urls import path

from . import account

app_name = "account"
urlpatterns = [
    path("", account.account, name="home"),
    path("jetons/", account.token_create, name="token_create"),
    path("jetons/<int:token_id>/revoquer/", account.token_revoke, name="token_revoke"),
]
