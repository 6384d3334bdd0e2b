from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("calculateur/", views.calculator, name="calculator"),
    path("calendrier/regenerer/", views.regenerate_token, name="regenerate_token"),
    path("calendrier/<str:token>.ics", views.feed, name="feed"),
    path("dossier/<str:reference>/", views.case_deadlines, name="case"),
    path("dossier/<str:reference>/ajouter/", views.add, name="add"),
    path("dossier/<str:reference>/tribunal/", views.set_court, name="set_court"),
    path("<int:pk>/respectee/", views.done, name="done"),
    path("<int:pk>/annulee/", views.cancel, name="cancel"),
    path("acte/<int:pk>/corriger/", views.correct_act, name="correct_act"),
    path("dossier/<str:reference>/suspension/", views.add_suspension, name="add_suspension"),
    path("suspension/<int:pk>/fin/", views.end_suspension, name="end_suspension"),
    path("acte-introductif/<int:pk>/issue/", views.act_outcome, name="act_outcome"),
    path(
        "acte-introductif/<int:pk>/corriger/",
        views.correct_starting_act,
        name="correct_starting_act",
    ),
]
