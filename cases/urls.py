from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("nouveau/", views.referral_create, name="create"),
    path("export/<str:fmt>/", views.case_list_export, name="export"),
    path("import-creances-exemple.csv", views.claims_import_example, name="claims_import_example"),
    path("vues/", views.saved_view_create, name="view_create"),
    path("vues/<int:view_id>/supprimer/", views.saved_view_delete, name="view_delete"),
    path("journal/", views.access_log, name="access_log"),
    path("etiquettes/", views.label_list, name="labels"),
    path("etiquettes/nouvelle/", views.label_create, name="label_create"),
    path("etiquettes/<int:label_id>/modifier/", views.label_edit, name="label_edit"),
    path("etiquettes/<int:label_id>/supprimer/", views.label_delete, name="label_delete"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/modifier/", views.referral_edit, name="edit"),
    path("<str:reference>/supprimer/", views.draft_discard, name="discard"),
    path("<str:reference>/pieces/", views.piece_add, name="piece_add"),
    path("<str:reference>/creances/import/", views.claims_import, name="claims_import"),
    path(
        "<str:reference>/creances/import/<int:import_id>/",
        views.claims_import_status,
        name="claims_import_status",
    ),
    path(
        "<str:reference>/creances/import/<int:import_id>/confirmer/",
        views.claims_import_confirm,
        name="claims_import_confirm",
    ),
    path("<str:reference>/pieces/<int:piece_id>/", views.piece_download, name="piece_download"),
    path("<str:reference>/pieces/<int:piece_id>/retirer/", views.piece_remove, name="piece_remove"),
    path("<str:reference>/notes/", views.note_add, name="note_add"),
    path("<str:reference>/suivre/", views.case_follow, name="follow"),
    path("<str:reference>/ne-plus-suivre/", views.case_unfollow, name="unfollow"),
    path("<str:reference>/etiquettes/", views.case_label_add, name="case_label_add"),
    path(
        "<str:reference>/etiquettes/<int:label_id>/retirer/",
        views.case_label_remove,
        name="case_label_remove",
    ),
    path("<str:reference>/messages/", views.message_post, name="message_post"),
    path("<str:reference>/messages/lus/", views.messages_read, name="messages_read"),
    path(
        "<str:reference>/messages/pj/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
