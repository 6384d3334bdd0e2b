"""The variable parts of the State's pages (templates/legal/): read from the settings, so
that an administrator adapts the texts without touching them, or replaces a page through
LOCAL_TEMPLATES_DIR and keeps these variables."""

from django.conf import settings

ACCESSIBILITY_LABELS = {
    "non": "non conforme",
    "partiellement": "partiellement conforme",
    "totalement": "totalement conforme",
}


def accessibility_label() -> str:
    """The RGAA mention of the footer and the statement: « non conforme »…"""
    return ACCESSIBILITY_LABELS[settings.ACCESSIBILITY_STATUS]


def context() -> dict:
    return {
        "site": {
            "url": settings.SITE_URL,
            "publisher": settings.SITE_PUBLISHER,
            "publisher_address": settings.SITE_PUBLISHER_ADDRESS,
            "publication_director": settings.SITE_PUBLICATION_DIRECTOR,
            "host": settings.SITE_HOST,
            "contact_email": settings.SITE_CONTACT_EMAIL,
            "dpo_contact": settings.DPO_CONTACT,
            "dpo_contact_is_url": settings.DPO_CONTACT.startswith(("https://", "http://")),
        },
        "accessibility": {
            "status": settings.ACCESSIBILITY_STATUS,
            "label": accessibility_label(),
            "audit_date": settings.ACCESSIBILITY_AUDIT_DATE,
            "audit_rate": settings.ACCESSIBILITY_AUDIT_RATE,
            "auditor": settings.ACCESSIBILITY_AUDITOR,
        },
        "retention": {
            "cases": settings.CASE_RETENTION,
            "access_log_days": settings.ACCESS_LOG_RETENTION_DAYS,
            "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
            "session_max_hours": settings.SESSION_MAX_HOURS,
            "login_failure_limit": settings.LOGIN_FAILURE_LIMIT,
            "login_lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
            "submission_token_hours": settings.SUBMISSION_TOKEN_HOURS,
        },
    }
