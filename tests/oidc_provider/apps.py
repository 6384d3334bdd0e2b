from django.apps import AppConfig


class ProviderConfig(AppConfig):
    name = "tests.oidc_provider"
    label = "oidc_provider"
