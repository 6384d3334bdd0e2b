"""gunicorn's settings for pnsr (deploy/systemd/pnsr-web.service): behind nginx on the
loopback, a few sync workers, no access log of its own (nginx keeps it, with the request
id); its own error lines go to the standard error, as Django's logs (LOG_FORMAT)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
# A PDF is rendered by the documents worker, never in a request: 60 s is plenty.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Each worker is replaced after so many requests (memory held by a large upload).
max_requests = 1000
max_requests_jitter = 100
accesslog = None
errorlog = "-"
# nginx is the only client: its X-Forwarded-* are trusted (HTTPS is USE_X_FORWARDED_PROTO's).
forwarded_allow_ips = "127.0.0.1"
