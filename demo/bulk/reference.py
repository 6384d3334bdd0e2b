"""Reference data for realism: places, names, trades, the wording of facts and requests,
and the shares of actions and modes in the referrals."""

from __future__ import annotations

from cases.enums import (
    Mode,
    ReturnGround,
)

# --- Reference data for realism -----------------------------------------------------------

# Per direction code: (communes with postal codes, tribunal judiciaire seat, cour d'appel).
PLACES: dict[str, tuple[list[tuple[str, str]], str, str]] = {
    "DDFIP 02": (
        [("Laon", "02000"), ("Saint-Quentin", "02100"), ("Soissons", "02200"),
         ("Château-Thierry", "02400")], "Laon", "Amiens"),
    "DDFIP 03": ([("Moulins", "03000"), ("Montluçon", "03100"), ("Vichy", "03200")],
                 "Moulins", "Riom"),
    "DDFIP 08": ([("Charleville-Mézières", "08000"), ("Sedan", "08200"), ("Rethel", "08300")],
                 "Charleville-Mézières", "Reims"),
    "DDFIP 14": ([("Caen", "14000"), ("Lisieux", "14100"), ("Bayeux", "14400")], "Caen", "Caen"),
    "DRFIP 44": ([("Nantes", "44000"), ("Saint-Nazaire", "44600"), ("Rezé", "44400")],
                 "Nantes", "Rennes"),
    "DDFIP 49": ([("Angers", "49000"), ("Cholet", "49300"), ("Saumur", "49400")],
                 "Angers", "Angers"),
    "DRFIP 67": ([("Strasbourg", "67000"), ("Haguenau", "67500"), ("Sélestat", "67600"),
                  ("Saverne", "67700")], "Strasbourg", "Colmar"),
    "DDFIP 90": ([("Belfort", "90000"), ("Delle", "90100"), ("Valdoie", "90300")],
                 "Belfort", "Besançon"),
    "DDFIP 30": ([("Nîmes", "30000"), ("Alès", "30100"), ("Bagnols-sur-Cèze", "30200")],
                 "Nîmes", "Nîmes"),
    "DDFIP 34": ([("Montpellier", "34000"), ("Béziers", "34500"), ("Sète", "34200")],
                 "Montpellier", "Montpellier"),
    "DRFIP 54": ([("Nancy", "54000"), ("Lunéville", "54300"), ("Toul", "54200")],
                 "Nancy", "Nancy"),
    "DRFIP 75": ([("Paris", "75011"), ("Paris", "75015"), ("Paris", "75018")], "Paris", "Paris"),
    "DRFIP 69": ([("Lyon", "69003"), ("Villeurbanne", "69100"),
                  ("Villefranche-sur-Saône", "69400")], "Lyon", "Lyon"),
    "DDFIP 93": ([("Bobigny", "93000"), ("Saint-Denis", "93200"), ("Montreuil", "93100")],
                 "Bobigny", "Paris"),
    "DDFIP 83": ([("Toulon", "83000"), ("Draguignan", "83300"), ("Fréjus", "83600")],
                 "Toulon", "Aix-en-Provence"),
    "DDFIP 78": ([("Versailles", "78000"), ("Saint-Germain-en-Laye", "78100"),
                  ("Mantes-la-Jolie", "78200")], "Versailles", "Versailles"),
}  # fmt: skip

# Where a direction's tribunal de commerce sits elsewhere than its tribunal judiciaire
# (the Aisne's: Saint-Quentin, as in the demo's own cases).
COMMERCIAL_SEAT = {"Laon": "Saint-Quentin"}

# The helping directions have no poste comptable in the fixtures: one SIE each for the demo.
EXTRA_POSTES = {
    "DDFIP 30": ("SIE de Nîmes", "030010"),
    "DDFIP 34": ("SIE de Montpellier", "034010"),
    "DRFIP 54": ("SIE de Nancy", "054010"),
    "DRFIP 75": ("SIE de Paris 11e", "075010"),
    "DRFIP 69": ("SIE de Lyon 3e", "069010"),
    "DDFIP 93": ("SIE de Bobigny", "093010"),
    "DDFIP 83": ("SIE de Toulon", "083010"),
    "DDFIP 78": ("SIE de Versailles", "078010"),
}

# fmt: off
MALE = [
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre", "Laurent",
    "Frédéric", "Éric", "Stéphane", "David", "Olivier", "Sébastien", "Thierry", "Julien", "Pascal",
    "Vincent", "François", "Bruno", "Guillaume", "Jérôme", "Didier",
]
FEMALE = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Valérie", "Christine",
    "Véronique", "Céline", "Stéphanie", "Sophie", "Hélène", "Aurélie", "Émilie", "Laurence",
    "Julie", "Caroline", "Anne", "Martine", "Agnès", "Claire",
]
LAST = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier",
    "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq",
    "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier",
]
FORMS = [
    "SARL", "SAS", "SASU", "EURL", "SA", "SCI", "SNC",
]
TRADES = [
    "Bâtiment", "Transports", "Menuiserie", "Boulangerie", "Garage", "Immobilière", "Restauration",
    "Négoce", "Logistique", "Travaux Publics", "Plomberie", "Conseil", "Distribution",
    "Carrosserie", "Couverture", "Électricité", "Charpente", "Maçonnerie", "Import-Export",
    "Sécurité Privée", "Nettoyage Industriel", "Textile", "Vins et Spiritueux", "Hôtellerie",
    "Promotion Immobilière", "Ambulances", "Terrassement",
]
SUFFIXES = [
    "du Centre", "de l'Est", "de l'Ouest", "du Nord", "des Trois Vallées", "de la Gare", "du Val",
    "des Coteaux", "Services", "et Fils", "Frères", "Associés", "Développement", "Invest",
    "Patrimoine", "Habitat", "Express",
]
STREETS = [
    "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta",
    "rue du Général de Gaulle", "place de la Mairie", "rue Pasteur", "chemin des Vignes",
    "rue des Écoles", "impasse des Lilas", "zone artisanale des Portes", "rue de la Gare",
    "rue Nationale", "avenue de la Libération", "rue du Moulin", "rue des Tilleuls",
    "route de Paris", "rue Saint-Martin", "allée des Peupliers", "quai du Port",
]
PROPERTY_KINDS = [
    "Maison d'habitation", "Immeuble de rapport", "Local commercial", "Appartement et cave",
    "Terrain à bâtir", "Entrepôt", "Corps de ferme", "Lot de copropriété (bureaux)",
    "Villa avec piscine", "Hangar agricole",
]
BANKS = [
    "Banque Populaire du Nord", "Crédit Agricole Centre-Est", "Caisse d'Épargne Grand Est",
    "Société Générale", "BNP Paribas", "LCL", "Crédit Mutuel", "La Banque Postale",
    "SAS Location Matériel Pro", "SCI Les Hauts de Ville (locataire)",
    "Notaire — étude Girard et associés", "Assurances Mutuelles de l'Ouest",
]
# The mandataires judiciaires the opening judgments name (invented firms).
MANDATAIRES = [
    "SELARL Mandataires Associés", "SCP Leclerc et Morin", "SELARL Étude Garnier",
    "SELAS Mandat et Conseil", "SCP Roussel-Fabre", "SELARL MJ Horizon",
]
# fmt: on

FACTS = {
    "saisie_immobiliere": "Redevable défaillant malgré les mises en demeure et les SATD "
    "bancaires infructueuses ; propriétaire d'un bien libre d'hypothèque conventionnelle.",
    "solidarite_dirigeant": "Société liquidée sans actif ; le dirigeant a cessé de déposer "
    "les déclarations tout en poursuivant l'activité et en se rémunérant.",
    "tiers_detenteur": "SATD notifiée au tiers détenteur, resté sans réponse ni paiement "
    "malgré relance.",
    "action_paulienne": "Peu après le contrôle, le redevable a cédé ou donné son principal "
    "bien saisissable à un proche.",
    "action_oblique": "Le redevable néglige de réclamer une créance exigible qu'il détient "
    "sur un tiers solvable.",
    "partage_indivision": "Le redevable détient une quote-part indivise d'un bien reçu en "
    "succession ; aucun autre actif saisissable.",
    "procedure_collective": "Aucun paiement depuis plusieurs mois, nouvelles dettes fiscales "
    "et sociales ; l'URSSAF envisage également d'assigner.",
}
REQUESTS = {
    Mode.AVIS: "Avis sur l'opportunité de l'action envisagée et, le cas échéant, sur "
    "l'action la plus pertinente.",
    Mode.SOUTIEN: "Relecture du projet d'acte et fourniture d'un modèle ; la direction "
    "conduit la procédure.",
    Mode.PRISE_EN_CHARGE: "Engager et conduire l'action devant la juridiction compétente.",
}
RETURN_LINES = {
    ReturnGround.PIECES: "État hypothécaire à jour (moins de trois mois)",
    ReturnGround.CLAIMS: "Titres exécutoires des créances et état détaillé à jour",
    ReturnGround.DEBTOR: "Identification complète du redevable (Kbis, état civil)",
    ReturnGround.TARGET: "Description précise de la cible (références cadastrales, SATD)",
    ReturnGround.FACTS: "Historique des diligences de recouvrement déjà accomplies",
    ReturnGround.PRESCRIPTION: "Justificatif du dernier acte interruptif de prescription",
    ReturnGround.OTHER: "Décision de la direction sur l'opportunité de l'action",
}
DECLINE_REASONS = [
    "Enjeu trop faible au regard du coût de la procédure.",
    "Action hors du champ du pôle : relève du contentieux d'assiette.",
    "Créance prescrite : aucune action utile n'est possible.",
    "Le redevable fait l'objet d'une procédure collective en cours : déclaration de créance "
    "à faire par le poste comptable.",
]
ADJOURN_REASONS = [
    "Renvoi à la demande de la défense.",
    "Renvoi pour permettre la communication de pièces.",
    "Renvoi : conclusions adverses déposées tardivement.",
    "Renvoi d'office, audience surchargée.",
    "Renvoi dans l'attente d'une médiation.",
]
OTHER_ACTIONS = {
    "saisie_immobiliere": "partage_indivision",
    "solidarite_dirigeant": "procedure_collective",
    "tiers_detenteur": "saisie_immobiliere",
    "action_paulienne": "saisie_immobiliere",
    "action_oblique": "tiers_detenteur",
    "partage_indivision": "saisie_immobiliere",
    "procedure_collective": "solidarite_dirigeant",
}
# Share of each action type in the referrals (procedure collective and L.267 lead).
ACTION_WEIGHTS = {
    "procedure_collective": 24,
    "solidarite_dirigeant": 22,
    "saisie_immobiliere": 18,
    "tiers_detenteur": 14,
    "action_paulienne": 11,
    "partage_indivision": 6,
    "action_oblique": 5,
}
MODE_WEIGHTS = {Mode.AVIS: 45, Mode.PRISE_EN_CHARGE: 35, Mode.SOUTIEN: 20}
