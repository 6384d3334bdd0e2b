from django.urls import path

from . import account_views

app_name = "accounts"
urlpatterns = [
    path("", account_views.account_list, name="list"),
    path("nouveau/", account_views.account_create, name="create"),
    path("<int:account_id>/", account_views.account_detail, name="detail"),
    path("<int:account_id>/absences/", account_views.account_absences, name="absences"),
    path(
        "<int:account_id>/absences/<int:absence_id>/terminer/",
        account_views.absence_end,
        name="absence_end",
    ),
    path(
        "<int:account_id>/second-facteur/",
        account_views.second_factor_reset,
        name="second_factor",
    ),
    path("postes/", account_views.poste_list, name="postes"),
    path("postes/<int:poste_id>/", account_views.poste_active, name="poste_active"),
]
