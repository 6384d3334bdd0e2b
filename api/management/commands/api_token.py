"""A new API token for a user, printed alone on standard output (for scripts)."""

from cases.commands import FrenchCommand
from cases.models import User

from ...models import ApiToken


class Command(FrenchCommand):
    help = "Crée un jeton d'accès à l'API pour un utilisateur et l'affiche (une seule fois)."
    usage = "Usage : manage.py api_token IDENTIFIANT [--name LIBELLÉ]"

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant de connexion de l'utilisateur")
        parser.add_argument("--name", default="Script", help="libellé du jeton (« Script »)")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise self.usage_error(f"Utilisateur inconnu : « {username} ».")
        if not user.is_active:
            raise self.usage_error(f"Le compte « {username} » est désactivé.")
        name = name.strip()[:100]
        if not name:
            raise self.usage_error("Le libellé du jeton ne peut pas être vide.")
        _, secret = ApiToken.issue(user, name)
        self.stdout.write(secret)
