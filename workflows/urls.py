from django.urls import path

from . import views

app_name = "workflows"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("a-prendre/", views.queue, name="queue"),
    path("terminees/", views.archive, name="archive"),
    path("equipe/", views.team, name="team"),
    path("avocats/", views.lawyers, name="lawyers"),
    path("delais/", views.step_targets, name="targets"),
    path("lot/", views.bulk_action, name="bulk"),
    path("lot/resultat/", views.bulk_result, name="bulk_result"),
    path("<int:task_id>/", views.task_page, name="task"),
    path("<int:task_id>/prendre/", views.take, name="take"),
    path("<int:task_id>/remettre/", views.release, name="release"),
    path("<int:task_id>/annuler/", views.cancel, name="cancel"),
    path("<int:task_id>/actions/<str:name>/", views.side_action, name="side_action"),
    path("dossier/<str:reference>/circuit/", views.chart_page, name="chart_page"),
    path("dossier/<str:reference>/circuit.svg", views.chart_svg, name="chart"),
    path("dossier/<str:reference>/defaire/", views.undo, name="undo"),
    path("dossier/<str:reference>/reattribuer/", views.reassign, name="reassign"),
    path("dossier/<str:reference>/<str:name>/", views.out_of_course, name="out_of_course"),
]
