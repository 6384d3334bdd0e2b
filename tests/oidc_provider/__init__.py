"""A real OpenID Connect provider for the tests and `make demo-proconnect`: a tiny Django
project on django-oauth-toolkit's OIDC support, standing for ProConnect.

Started as its own process (`python -m tests.oidc_provider`, see __main__.py), with its
own SQLite database and an RSA key generated at start. Its login page signs in any email
without password (it is a test provider) and lets one choose, for that login, whether it
used a second factor (`amr` ["pwd", "mfa"], `acr` eidas2; otherwise ["pwd"], eidas1) and
whether the userinfo comes as a signed JWT (as ProConnect's) or as JSON.
"""
