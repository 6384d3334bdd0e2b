from django.contrib import admin
from django.urls import include, path

from . import proconnect, views

handler400 = "pnsr.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "connexion/",
        views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("deconnexion/", proconnect.Logout.as_view(), name="logout"),
    path("proconnect/connexion/", proconnect.Start.as_view(), name="proconnect_start"),
    path("proconnect/retour/", proconnect.callback, name="proconnect_callback"),
    path("session/", views.session_status, name="session"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("plan-du-site/", views.site_map, name="site_map"),
    path("dossiers/", include("cases.urls")),
    path("notifications/", include("notifications.urls")),
    path("taches/", include("workflows.urls")),
    path("documents/", include("documents.urls")),
    path("modeles-documents/", include("documents.template_urls")),
    path("echeances/", include("deadlines.urls")),
    path("pilotage/", include("dashboards.urls")),
    path("compte/", include("api.account_urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
