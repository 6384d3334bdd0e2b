from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("dossiers/", views.cases, name="cases"),
    path("<slug:slug>/", views.show, name="show"),
    path("<slug:slug>/<slug:table>.<str:fmt>", views.export, name="export"),
]
