from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

handler400 = "pnsr.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
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
