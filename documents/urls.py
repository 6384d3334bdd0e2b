from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<str:reference>/", views.case_documents, name="case"),
    path("<str:reference>/etat/", views.case_documents_status, name="status"),
    path("<str:reference>/dossier.zip", views.case_file, name="case_file"),
    path("<str:reference>/projet-ecritures/", views.edit_pleadings, name="pleadings"),
    path("<str:reference>/bordereau/", views.choose_bordereau, name="bordereau"),
    path("<str:reference>/produire/<str:kind>/", views.produce, name="produce"),
    path("<str:reference>/<int:document_id>/", views.download, name="download"),
    path("<str:reference>/<int:document_id>/relancer/", views.retry, name="retry"),
    path("<str:reference>/<int:document_id>/valider/", views.validate, name="validate"),
    path("<str:reference>/<int:document_id>/signature/", views.signature, name="signature"),
    # After the POST actions above: a version's PDF, ODT or DOCX.
    path(
        "<str:reference>/<int:document_id>/<str:file_format>/",
        views.download,
        name="download_as",
    ),
]
