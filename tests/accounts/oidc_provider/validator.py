from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Says the person passed a second factor (``amr: ["pwd", "mfa"]``) when their user name ends in -mfa."""

    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        strong = request.user.username.endswith("-mfa")
        return {"amr": ["pwd", "mfa"] if strong else ["pwd"], "acr": "strong" if strong else "basic"}
