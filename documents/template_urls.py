"""The documents' templates (documents.template_views), under /modeles-documents/."""

from django.urls import path

from . import template_views as views

app_name = "document_templates"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:kind>/", views.edit, name="edit"),
    path("<str:kind>/historique/", views.history, name="history"),
    path("<str:kind>/action/<slug:action>/", views.edit, name="edit_action"),
    path("<str:kind>/action/<slug:action>/historique/", views.history, name="history_action"),
]
