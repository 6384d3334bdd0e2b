from django.contrib import admin
from django.urls import include, path

from cases import views as cases_views

from . import auth, health, mfa, proconnect, views

handler400 = "pnsr.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("sante/", health.readiness, name="readiness"),
    path("sante/vivant/", health.liveness, name="liveness"),
    path("connexion/", auth.LoginView.as_view(), name="login"),
    path(
        "connexion/mot-de-passe-oublie/",
        auth.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "connexion/mot-de-passe-oublie/envoye/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "connexion/nouveau-mot-de-passe/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "connexion/nouveau-mot-de-passe/enregistre/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("connexion/code/", mfa.verify, name="mfa_verify"),
    path("connexion/code/activer/", mfa.enrol, name="mfa_enrol"),
    path("deconnexion/", mfa.second_factor_exempt(proconnect.Logout.as_view()), name="logout"),
    path("proconnect/connexion/", proconnect.Start.as_view(), name="proconnect_start"),
    path("proconnect/retour/", proconnect.callback, name="proconnect_callback"),
    path("session/", mfa.second_factor_exempt(views.session_status), name="session"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("plan-du-site/", views.site_map, name="site_map"),
    path("recherche/", cases_views.search_page, name="search"),
    path("dossiers/", include("cases.urls")),
    path("redevables/", include("cases.debtor_urls")),
    path("notifications/", include("notifications.urls")),
    path("taches/", include("workflows.urls")),
    path("documents/", include("documents.urls")),
    path("modeles-documents/", include("documents.template_urls")),
    path("echeances/", include("deadlines.urls")),
    path("pilotage/", include("dashboards.urls")),
    path("compte/", include("api.account_urls")),
    path("comptes/", include("cases.account_urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
