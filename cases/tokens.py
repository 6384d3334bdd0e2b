"""Personal secrets (API tokens, calendar feed links) are kept only as their SHA-256: the
plain secret is shown once, when it is made, and a lookup hashes what it is given."""

import hashlib


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
