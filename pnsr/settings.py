"""pnsr settings: one module, read from the environment.

With no environment at all it runs on an embedded SQLite file under var/ in DEBUG-free,
safe defaults except where `make demo` turns DEBUG on.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PNSR_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def envbool(name: str, default: bool = False) -> bool:
    """A yes/no variable. A value it does not understand stops the start: `HTTPS=ture`
    must not quietly mean « no HTTPS »."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"La variable d'environnement {name}={os.environ[name]!r} n'est pas comprise : "
        f"écrivez {', '.join(TRUE_WORDS)} pour l'activer, ou {', '.join(FALSE_WORDS)} "
        "pour la désactiver."
    )


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name}={os.environ[name]!r} doit être un nombre entier."
        ) from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # No key given: one random key per installation, kept under var/ (never a shared
    # default). Several web machines must share SECRET_KEY through the environment.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# Secure cookies and HSTS whenever the site is served over HTTPS. Outside DEBUG, the site
# only starts over HTTPS, unless told it is on purpose served over plain HTTP.
HTTPS = envbool("HTTPS", False)
ALLOW_PLAIN_HTTP = envbool("ALLOW_PLAIN_HTTP", False)
if not DEBUG and not HTTPS and not ALLOW_PLAIN_HTTP:
    raise ImproperlyConfigured(
        "pnsr ne démarre hors DEBUG qu'avec HTTPS=1 (le site servi en HTTPS). Servi "
        "volontairement en HTTP simple (un poste de développement, un réseau fermé), fixez "
        "ALLOW_PLAIN_HTTP=1 ; pour développer, DEBUG=1."
    )
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
# A load balancer probes the health endpoints over plain HTTP (pnsr/health.py).
SECURE_REDIRECT_EXEMPT = [r"^sante/"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
# Asking browsers to preload HSTS commits the whole registered domain: the domain's
# owner decides it (SECURE_HSTS_PRELOAD=1), not the application; hence no warning.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if envbool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",  # before django.forms: its widget templates override Django's
    "django.forms",
    "widget_tweaks",
    "viewflow",  # its templates (the flow chart)
    "viewflow.workflow",
    "django_tasks",
    "django_tasks_db",
    "cases",
    "notifications",
    "workflows",
    "documents",
    "deadlines",
    "dashboards",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # swagger-ui's files, served as our static files
    "api",
    "demo",
    "pnsr.apps.PnsrConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",  # the second factor of local sign-in (pnsr/mfa.py)
    "axes",  # login attempts, lockouts (after the apps: its admin is French as ours)
    "csp",
    "worker",
]

# viewflow's own site and frontend are not used: the pages are ours, in the DSFR.
VIEWFLOW = {"AUTOREGISTER": False}

AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the username or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    # Django's password check and permissions, refusing every password when LOCAL_LOGIN=0.
    "pnsr.auth.LocalPasswordBackend",
    "workflows.permissions.WorkflowPermissionBackend",
    # Signs nobody in by itself (`authenticate` answers None): ProConnect's callback calls
    # it, then loads the signed-in user of the session as ModelBackend does.
    "pnsr.proconnect.ProConnectBackend",
]

MIDDLEWARE = [
    "pnsr.middleware.RequestIdMiddleware",  # first: every log line of the request has it
    "cases.replica.PinToPrimaryMiddleware",  # then: each request's reads (cases/replica.py)
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "pnsr.middleware.RefuseNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pnsr.middleware.SessionLifetimeMiddleware",  # before the login check: it may log out
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "pnsr.mfa.SecondFactorMiddleware",  # after the login check: only for the signed-in
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "pnsr.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a lockout into its page
]

# ProConnect, the State's agents' sign-in (OpenID Connect, pnsr/proconnect.py, through
# mozilla-django-oidc): on when PROCONNECT_ISSUER and PROCONNECT_CLIENT_ID are set, the
# login page then shows its button. The endpoints default to ProConnect's own, under the
# issuer (https://proconnect.gouv.fr/api/v2 in production, https://fca.integ01.dev-agentconnect.fr/api/v2
# in integration); each can be given on its own (another provider, the tests' one).
PROCONNECT_ISSUER = os.environ.get("PROCONNECT_ISSUER", "").strip().rstrip("/")
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "").strip()
PROCONNECT_ENABLED = bool(PROCONNECT_ISSUER and PROCONNECT_CLIENT_ID)
if PROCONNECT_ENABLED and not os.environ.get("PROCONNECT_CLIENT_SECRET"):
    raise ImproperlyConfigured(
        "PROCONNECT_ISSUER et PROCONNECT_CLIENT_ID sont fixés : fixez aussi "
        "PROCONNECT_CLIENT_SECRET (le secret du fournisseur de service chez ProConnect)."
    )


def proconnect_endpoint(name: str, path: str) -> str:
    return os.environ.get(f"PROCONNECT_{name}_ENDPOINT", "").strip() or (
        f"{PROCONNECT_ISSUER}{path}" if PROCONNECT_ISSUER else ""
    )


OIDC_OP_AUTHORIZATION_ENDPOINT = proconnect_endpoint("AUTHORIZATION", "/authorize")
OIDC_OP_TOKEN_ENDPOINT = proconnect_endpoint("TOKEN", "/token")
OIDC_OP_USER_ENDPOINT = proconnect_endpoint("USERINFO", "/userinfo")
OIDC_OP_JWKS_ENDPOINT = proconnect_endpoint("JWKS", "/jwks")
OIDC_OP_LOGOUT_ENDPOINT = proconnect_endpoint("LOGOUT", "/session/end")
OIDC_RP_CLIENT_ID = PROCONNECT_CLIENT_ID
OIDC_RP_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = "RS256"  # the ID token and the userinfo JWT: RS256 only, never HS256
OIDC_RP_SCOPES = os.environ.get("PROCONNECT_SCOPES", "openid email given_name usual_name uid siret")
# eidas1: the level every agent reaches; the roles that need more are checked on `amr`
# and `acr` at the callback (cases.access.needs_multi_factor).
PROCONNECT_ACR_VALUES = os.environ.get("PROCONNECT_ACR_VALUES", "eidas1")
OIDC_USE_NONCE = True
OIDC_STATE_SIZE = 32
OIDC_NONCE_SIZE = 32
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # the logout's id_token_hint
# Seconds the provider may take on each call (token, userinfo, keys); past it, the agent
# reads that ProConnect does not answer.
OIDC_TIMEOUT = envint("PROCONNECT_TIMEOUT", 10)
# How long the sign-in may stay at the provider (seconds) before its state is refused.
PROCONNECT_STATE_MAX_AGE = envint("PROCONNECT_STATE_MAX_AGE", 600)
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect_callback"
OIDC_OP_LOGOUT_URL_METHOD = "pnsr.proconnect.provider_logout_url"
# The login button and « Se déconnecter » are forms whose answer redirects to the provider:
# the Content-Security-Policy's form-action must let them.
PROCONNECT_ORIGINS = sorted(
    {
        f"{url.scheme}://{url.netloc}"
        for url in map(urlsplit, [OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_LOGOUT_ENDPOINT])
        if PROCONNECT_ENABLED and url.netloc
    }
)

ROOT_URLCONF = "pnsr.urls"
WSGI_APPLICATION = "pnsr.wsgi.application"

# An administrator's own versions of our templates (the State's pages, templates/legal/):
# a folder read before templates/, where `legal/mentions_legales.html` replaces ours.
LOCAL_TEMPLATES_DIR = os.environ.get("LOCAL_TEMPLATES_DIR", "")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [
            *([Path(LOCAL_TEMPLATES_DIR)] if LOCAL_TEMPLATES_DIR else []),
            BASE_DIR / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pnsr.context_processors.navigation",
                "pnsr.context_processors.accessibility",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'pnsr.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests at once on the embedded database: wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A read replica of the primary (a PostgreSQL hot standby): the pages that only read
# (dashboards, exports, search) read from it, unless the browser has just written
# (cases/replica.py). In the tests it is the default test database (MIRROR).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["cases.replica.ReplicaRouter"]
# After a write, the browser reads from the primary for so long (the cookie pnsr_primary).
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 30)
# The dashboards say how late their data is beyond this.
REPLICA_LAG_NOTICE_SECONDS = envint("REPLICA_LAG_NOTICE_SECONDS", 60)

# Behind a pooler in transaction mode (PgBouncer's pool_mode=transaction) a connection
# belongs to the client only for one transaction: no server-side cursor (`.iterator()`
# opens a WITH HOLD cursor outside a transaction, which would outlive it); the code keeps
# no other session state (no SET outside SET LOCAL, no advisory session lock, no LISTEN).
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in ("", "session", "transaction"):
    raise ImproperlyConfigured(
        f"La variable d'environnement DATABASE_POOLER={DATABASE_POOLER!r} n'est pas comprise : "
        "écrivez transaction (PgBouncer en pool_mode=transaction) ou session, ou laissez-la vide."
    )
if DATABASE_POOLER == "transaction":
    for database in DATABASES.values():
        database["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "cases.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Local accounts (a username and a password): for the demo and for break-glass
# administration. LOCAL_LOGIN=0 turns them off entirely (the login form, its POST, the
# password reset), once agents sign in through ProConnect.
LOCAL_LOGIN = envbool("LOCAL_LOGIN", True)
# The second factor (TOTP, pnsr/mfa.py) asked after a local password of the roles that need
# one (cases.access.needs_second_factor). PNSR_LOCAL_MFA=0 only for the demo (`make demo`)
# and the tests that are not about it (tests/conftest.py).
LOCAL_MFA = envbool("PNSR_LOCAL_MFA", True)
OTP_TOTP_ISSUER = "PNSR actions lourdes"
# A password reset link's validity (seconds): one hour.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3600)

# Checked wherever a password is chosen (the admin, `changepassword`); the demo's accounts
# get their hash directly (demo/people.py), never through these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: ended when the browser closes, after SESSION_IDLE_MINUTES without a request
# and SESSION_MAX_HOURS after the login whatever happens (pnsr.middleware). The warning
# comes SESSION_WARNING_MINUTES before the idle end (pnsr/static/session.js).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 12)
SESSION_WARNING_MINUTES = 5
# The session row's own expiry, for `clearsessions`: never later than the absolute end.
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Django's cache, in the database: whatever it counts or remembers (ProConnect's « told the
# administrators of this unknown email within the hour », pnsr/proconnect.py) is the same
# for every web process and machine, which a per-process memory cache is not. Its table
# is created by the migration pnsr/migrations/0001_cache_table.py.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pnsr_cache",
    }
}

# Login attempts (django-axes, counted in the database: the same for every web process).
# LOGIN_FAILURE_LIMIT failures on one username, or from one address whatever the
# usernames, lock it out for LOGIN_LOCKOUT_MINUTES (each new try restarts the count), or
# until an administrator deletes the attempt (/admin/, « Tentatives de connexion », or
# `manage.py axes_reset_username IDENTIFIANT`).
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 30)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "pnsr.views.locked_out"
AXES_VERBOSE = False  # its start-up banner would land in every command's output
# Behind reverse proxies the client's address is in X-Forwarded-For: TRUSTED_PROXIES says
# how many proxies append to it (otherwise every agent would share the proxy's address).
# pnsr/client_ip.py reads the TRUSTED_PROXIES-th address from the right (never the leftmost,
# which the client writes), REMOTE_ADDR when there is none or TRUSTED_PROXIES=0.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "pnsr.client_ip.client_ip"

# Content-Security-Policy (django-csp): our files only, scripts with the page's nonce,
# no inline style. /api/docs/ relaxes what swagger-ui needs (api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the DSFR's icons are data: URIs in its stylesheet
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *PROCONNECT_ORIGINS],
        "base-uri": [SELF],
    }
}
# Browser features no page uses (pnsr.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "usb",
    "xr-spatial-tracking",
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def file_storage() -> dict:
    """Where the stored files go (pieces, attachments, documents, imports: everything
    saved through Django's default storage): MEDIA_ROOT on the local disk, or, when
    S3_BUCKET is set, that bucket of an S3-compatible object store (django-storages).

    Either way no file is ever served from the storage itself: every download streams
    through the application's views, after the access check. The bucket's objects are
    therefore written without any ACL of their own (the bucket stays private), and a
    signed address, should anything ever ask the storage for one, would expire within a
    minute. As on the local disk, an existing name is never overwritten."""
    if os.environ.get("DEFAULT_FILE_STORAGE_BACKEND"):
        raise ImproperlyConfigured(
            "DEFAULT_FILE_STORAGE_BACKEND n'est plus lue : pour un stockage objet compatible "
            "S3, fixez S3_BUCKET (et S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID, "
            "S3_SECRET_ACCESS_KEY) ; sans S3_BUCKET, les fichiers sont dans MEDIA_ROOT."
        )
    bucket = os.environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    access_key = os.environ.get("S3_ACCESS_KEY_ID", "").strip()
    secret_key = os.environ.get("S3_SECRET_ACCESS_KEY", "").strip()
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY vont ensemble : fixez les deux, ou "
            "aucune (les identifiants viennent alors de l'environnement d'AWS, par exemple "
            "le rôle de la machine)."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("S3_REGION", "").strip() or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": file_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded pieces: 20 MB each. Django must accept the request so that the form can
# say in French what is wrong rather than answering 400.
PIECE_MAX_BYTES = envint("PIECE_MAX_BYTES", 20 * 1024 * 1024)
# An image piece's pixels at most, read from its header before any decoding: 40 million is
# an A4 page scanned at 600 dpi; a blank image just under Pillow's own bound (89 million)
# weighs a few hundred KB and takes 340 MB once loaded.
PIECE_MAX_IMAGE_PIXELS = envint("PIECE_MAX_IMAGE_PIXELS", 40_000_000)
# How long the consultation journal keeps a row (days): the CNIL recommends six months to
# a year for access logs; a year, to look back over a whole campaign of recovery actions.
ACCESS_LOG_RETENTION_DAYS = envint("ACCESS_LOG_RETENTION_DAYS", 365)
ACCESS_LOG_PER_PAGE = 50
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CASES_PER_PAGE = 25
# The case page's long lists (messages, pieces, history), each paged on its own.
CASE_LIST_PER_PAGE = envint("CASE_LIST_PER_PAGE", 20)
# Beside an opinion, the pôle's figures on comparable cases (cases.comparables) are shown
# from this many cases on; below, only that there are too few to say anything.
COMPARABLES_MIN_CASES = envint("COMPARABLES_MIN_CASES", 10)
# How long a sent form's token (and an API Idempotency-Key) is remembered.
SUBMISSION_TOKEN_HOURS = envint("SUBMISSION_TOKEN_HOURS", 24)

# The address of the site as users reach it, for the links in the emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The pôle's intake mailbox, given to a referrer whose debtor already has an open case of
# another direction (which they may not see); when empty, the pôle's heads are named.
POLE_INTAKE_EMAIL = os.environ.get("POLE_INTAKE_EMAIL", "")

# The State's pages (templates/legal/, read by pnsr/legal.py): who publishes the site, who
# hosts it, whom to write to. An empty value shows « à renseigner » on the page.
SITE_PUBLISHER = os.environ.get(
    "SITE_PUBLISHER", "Direction générale des Finances publiques (DGFiP)"
)
SITE_PUBLISHER_ADDRESS = os.environ.get(
    "SITE_PUBLISHER_ADDRESS", "139 rue de Bercy, 75572 Paris Cedex 12"
)
SITE_PUBLICATION_DIRECTOR = os.environ.get(
    "SITE_PUBLICATION_DIRECTOR", "le directeur général des Finances publiques"
)
SITE_HOST = os.environ.get("SITE_HOST", "")  # the hosting provider: name, address
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", POLE_INTAKE_EMAIL)
# The data protection officer: an address or a form's URL; by post otherwise.
DPO_CONTACT = os.environ.get("DPO_CONTACT", "")
# How long the cases are kept: the administration's archive rules, which the application
# does not decide (it deletes no case by itself).
CASE_RETENTION = os.environ.get("CASE_RETENTION", "")
# The RGAA status in the footer and the statement: « non » conforme as long as no valid
# audit says otherwise; « partiellement » (at least 50 % of the criteria) or « totalement »
# only with the audit's date.
ACCESSIBILITY_STATUSES = ("non", "partiellement", "totalement")
ACCESSIBILITY_STATUS = os.environ.get("ACCESSIBILITY_STATUS", "non").strip().lower()
if ACCESSIBILITY_STATUS not in ACCESSIBILITY_STATUSES:
    raise ImproperlyConfigured(
        f"ACCESSIBILITY_STATUS={ACCESSIBILITY_STATUS!r} n'est pas compris : écrivez "
        f"{', '.join(ACCESSIBILITY_STATUSES)}."
    )
try:
    ACCESSIBILITY_AUDIT_DATE = (
        datetime.date.fromisoformat(os.environ["ACCESSIBILITY_AUDIT_DATE"].strip())
        if os.environ.get("ACCESSIBILITY_AUDIT_DATE", "").strip()
        else None
    )
except ValueError:
    raise ImproperlyConfigured(
        "ACCESSIBILITY_AUDIT_DATE doit être une date AAAA-MM-JJ (le jour de l'audit)."
    ) from None
if ACCESSIBILITY_STATUS != "non" and ACCESSIBILITY_AUDIT_DATE is None:
    raise ImproperlyConfigured(
        f"ACCESSIBILITY_STATUS={ACCESSIBILITY_STATUS} demande un audit : fixez "
        "ACCESSIBILITY_AUDIT_DATE (AAAA-MM-JJ). Sans audit en cours de validité, le site "
        "est « non conforme »."
    )
ACCESSIBILITY_AUDIT_RATE = envint("ACCESSIBILITY_AUDIT_RATE", 0)  # % of the criteria met
if ACCESSIBILITY_AUDIT_RATE and not (
    {"non": 0, "partiellement": 50, "totalement": 100}[ACCESSIBILITY_STATUS]
    <= ACCESSIBILITY_AUDIT_RATE
    < {"non": 50, "partiellement": 100, "totalement": 101}[ACCESSIBILITY_STATUS]
):
    raise ImproperlyConfigured(
        f"ACCESSIBILITY_AUDIT_RATE={ACCESSIBILITY_AUDIT_RATE} % ne correspond pas à "
        f"ACCESSIBILITY_STATUS={ACCESSIBILITY_STATUS} : « non » conforme en dessous de 50 %, "
        "« partiellement » de 50 à 99 %, « totalement » à 100 %."
    )
ACCESSIBILITY_AUDITOR = os.environ.get("ACCESSIBILITY_AUDITOR", "")

# Email: SMTP when EMAIL_HOST is set; otherwise each email is written as a file under
# var/mail (make demo, development), never lost nor sent.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "notifications.smtp.EmailBackend"  # Django's, with a budget per session
    EMAIL_PORT = envint("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)  # seconds; a silent server must not hang the worker
# The whole budget of one SMTP session (seconds): a server that accepts and then trickles
# is cut off at this point, whatever each read's timeout; the emails wait for a later run.
EMAIL_SESSION_BUDGET = envint("EMAIL_SESSION_BUDGET", 120)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "PNSR actions lourdes <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Told of server errors and of a stored file found altered (cases/integrity.py), besides
# the site's administrator accounts.
ADMINS = [("", address) for address in envlist("ADMINS")]

# Background work: django-tasks with its database backend (worker.backend: django-tasks-db's,
# carrying the request id into each task), run by `manage.py run_worker` (worker/). Two
# queues, each with its own workers, so that one never waits for the other: "default"
# (email delivery, the daily reminders) and "documents" (PDF rendering).
TASKS = {
    "default": {
        "BACKEND": "worker.backend.DatabaseBackend",
        "QUEUES": ["default", "documents"],
    }
}
# A pending document that nothing has moved for this long (seconds) is stalled: the rescue
# queues it again and its users may retry it. Its renderer shows a sign of life every
# DOCUMENTS_HEARTBEAT seconds.
DOCUMENTS_STALLED_AFTER = envint("DOCUMENTS_STALLED_AFTER", 120)
DOCUMENTS_HEARTBEAT = envint("DOCUMENTS_HEARTBEAT", 10)
# The electronic signature of the documents that are not drafts (documents/signing.py):
# the pôle's certificate and key as a PKCS#12 file (a path, relative to the project if not
# absolute) and its password; none: the documents are produced unsigned. With a
# timestamping server (RFC 3161: its URL, how long to wait for it in seconds, and the
# authority's certificate, PEM or DER, to check its tokens) each signature is timestamped.
PNSR_SIGNING_P12 = os.environ.get("PNSR_SIGNING_P12", "").strip()
PNSR_SIGNING_PASSWORD = os.environ.get("PNSR_SIGNING_PASSWORD", "")
PNSR_TSA_URL = os.environ.get("PNSR_TSA_URL", "").strip()
PNSR_TSA_TIMEOUT = envint("PNSR_TSA_TIMEOUT", 10)
PNSR_TSA_CA = os.environ.get("PNSR_TSA_CA", "").strip()
# The workers (worker/): a sign of life every WORKER_HEARTBEAT seconds; silent for
# WORKER_STALE_AFTER, a worker is taken for dead and its task run again; the rescue runs
# every WORKER_RESCUE_EVERY; after a database outage a worker retries within
# WORKER_MAX_BACKOFF (1 s, 2 s, 4 s… up to it).
WORKER_HEARTBEAT = envint("WORKER_HEARTBEAT", 10)
WORKER_STALE_AFTER = envint("WORKER_STALE_AFTER", 60)
WORKER_RESCUE_EVERY = envint("WORKER_RESCUE_EVERY", 60)
WORKER_MAX_BACKOFF = envint("WORKER_MAX_BACKOFF", 60)
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Logs on the standard error (journald under systemd): plain messages by default (make demo),
# one JSON object per line with LOG_FORMAT=json (time, level, logger, message, the request
# id of the request or of the task's request, and a record's extras).
LOG_FORMATS = ("text", "json")
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(
        f"LOG_FORMAT={LOG_FORMAT!r} n'est pas compris : écrivez text (par défaut) ou json."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "worker.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # PDF rendering narrates every step at INFO: only its warnings are worth reading.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "pnsr.views.csrf_failure"

# The REST API (/api/): personal tokens, the access rules of cases.access, French errors.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        # The documentation page, for a logged-in user (CSRF checked on writes).
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
API_RATE = os.environ.get("API_RATE", "600/minute")  # per token
API_PAGE_SIZE_MAX = 100
SPECTACULAR_SETTINGS = {
    "TITLE": "API PNSR actions lourdes",
    "DESCRIPTION": (
        "Saisir le pôle et suivre ses dossiers depuis les applications des directions et "
        "des postes comptables. Mêmes règles d'accès que les pages du site ; chaque requête "
        "porte un jeton d'accès personnel (page « Mon compte »)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.enums.CaseStatus",
        "ModeEnum": "cases.enums.Mode",
        "DeadlineStatusEnum": "deadlines.enums.DeadlineStatus",
        "DocumentStatusEnum": "documents.enums.DocumentStatus",
        "PieceKindEnum": "cases.enums.PieceKind",
        "ResidenceEnum": "cases.enums.Residence",
        "ClosureReasonEnum": "cases.enums.ClosureReason",
        "RiskLevelEnum": "cases.enums.RiskLevel",
        "TaxKindEnum": "cases.enums.TaxKind",
        # the same values in the forms-made input schemas (api.serializers), without labels
        "ResidenceInputEnum": "cases.enums.Residence.values",
    },
}
