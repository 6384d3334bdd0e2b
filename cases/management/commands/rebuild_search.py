"""Write every search entry again (cases/search.py): after a restore, an import, or to
index the cases written before the search existed."""

from cases import search
from cases.commands import FrenchCommand


class Command(FrenchCommand):
    help = (
        "Réécrit l'index de recherche de tous les dossiers (textes des saisines, messages, "
        "notes, avis, audiences, pièces et documents, texte des PDF compris)."
    )
    usage = "Usage : manage.py rebuild_search"

    def handle(self, *args, **options):
        written = search.rebuild()
        self.stdout.write(f"{written} texte(s) indexé(s) pour la recherche.")
