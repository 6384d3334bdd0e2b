from django.conf import settings
from django.db import models


class LoginChoice(models.Model):
    """What the last login at the provider chose, read when the tokens are made."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    multi_factor = models.BooleanField(default=False)
    userinfo_jwt = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user}: {'mfa' if self.multi_factor else 'pwd'}"
