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
    path(
        "acte-introductif/<int:pk>/corriger/",
        views.correct_starting_act,
        name="correct_starting_act",
    ),
]
