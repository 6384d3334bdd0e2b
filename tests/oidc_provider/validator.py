"""ProConnect's claims: email, given_name, usual_name, uid, siret, and amr/acr as the
login chose; the userinfo as a JWT signed with the provider's key when it chose so."""

import hashlib

from django.conf import settings
from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings

from .models import LoginChoice

SIRET = "13001653800014"  # any SIRET of a State service


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scopes (as ProConnect's own)

    def get_additional_claims(self, request):
        user = request.user
        choice = LoginChoice.objects.filter(user=user).first()
        mfa = bool(choice and choice.multi_factor)
        return {
            # Stable for an email, whatever this provider's database: `make demo-proconnect`
            # may start on a new one while the application keeps the subs it bound.
            "sub": hashlib.sha256(user.email.lower().encode()).hexdigest()[:32],
            "email": user.email,
            "given_name": user.first_name,
            "usual_name": user.last_name,
            "uid": str(user.pk),
            "siret": SIRET,
            "amr": ["pwd", "mfa"] if mfa else ["pwd"],
            "acr": "eidas2" if mfa else "eidas1",
        }

    def get_userinfo_claims(self, request):
        claims = super().get_userinfo_claims(request)
        choice = LoginChoice.objects.filter(user=request.user).first()
        if choice is not None and not choice.userinfo_jwt:
            return claims
        key = jwk.JWK.from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY.encode())
        token = jwt.JWT(
            header={"alg": "RS256", "kid": key.thumbprint()},
            claims={
                **claims,
                "iss": settings.ISSUER,
                "aud": request.access_token.application.client_id,
            },
        )
        token.make_signed_token(key)
        return token.serialize()  # a string: oauthlib answers application/jwt
