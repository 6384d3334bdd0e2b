"""Draft pleadings (projet d'écritures) the pôle prepares for the lawyer.

`default_sections(case)` gives a first draft filled from the case: an assignation for the
three actions the pôle brings most (saisie immobilière, mise en cause du dirigeant, mise en
cause du tiers détenteur), and draft conclusions for the other actions. Each section is
{"key", "title", "body"}; a body is plain text, paragraphs separated by a blank line and
list items starting with "- ". What the case does not say is left between square
brackets, "[à compléter]", for the jurist to fill in.

The texts are drafts to be reread and validated by the head of the pôle before they go to
the lawyer; they cite the statutes the action rests on and nothing the file does not
support.
"""

from __future__ import annotations

from cases.formatting import court_in_sentence
from cases.models import Case

from .data import (
    claims_data,
    current_mandate,
    debtor_data,
    pieces_data,
    starting_act_data,
    targets_data,
)

TO_COMPLETE = "[à compléter]"


def draft_title(case: Case) -> str:
    code = case.action_type.code if case.action_type_id else ""
    if code == "saisie_immobiliere":
        if case.is_alsace_moselle:
            return "Requête aux fins d'exécution forcée immobilière (droit local)"
        return "Assignation à l'audience d'orientation devant le juge de l'exécution"
    if code == "solidarite_dirigeant":
        return "Assignation du dirigeant en responsabilité solidaire (LPF art. L.267)"
    if code == "tiers_detenteur":
        return "Assignation du tiers détenteur devant le juge de l'exécution"
    label = case.action_type.label if case.action_type_id else "action du comptable public"
    return f"Conclusions — {label}"


def default_sections(case: Case) -> list[dict]:
    draft = _Draft(case)
    code = case.action_type.code if case.action_type_id else ""
    if code == "saisie_immobiliere":
        return draft.local_law_sale() if case.is_alsace_moselle else draft.real_estate()
    if code == "solidarite_dirigeant":
        return draft.manager()
    if code == "tiers_detenteur":
        return draft.holder()
    return draft.conclusions(code)


def _section(key: str, title: str, *paragraphs: str) -> dict:
    return {"key": key, "title": title, "body": "\n\n".join(p for p in paragraphs if p)}


def _one_line(address: str) -> str:
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())


def _items(items: list[str]) -> str:
    """'- a ;' lines, the last one ending the sentence ('- c.')."""
    last = len(items) - 1
    return "\n".join(f"- {item}{'.' if i == last else ' ;'}" for i, item in enumerate(items))


# What the generic conclusions say in law, and ask, per action type.
GENERIC_LAW = {
    "action_paulienne": (
        "Aux termes de l'article 1341-2 du code civil, le créancier peut agir en son nom "
        "personnel pour faire déclarer inopposables à son égard les actes faits par son "
        "débiteur en fraude de ses droits, à charge d'établir, s'il s'agit d'un acte à titre "
        "onéreux, que le tiers cocontractant avait connaissance de la fraude."
    ),
    "action_oblique": (
        "Aux termes de l'article 1341-1 du code civil, lorsque la carence du débiteur dans "
        "l'exercice de ses droits et actions à caractère patrimonial compromet les droits de "
        "son créancier, celui-ci peut les exercer pour le compte de son débiteur, à "
        "l'exception de ceux qui sont exclusivement rattachés à sa personne."
    ),
    "partage_indivision": (
        "Aux termes de l'article 815-17 du code civil, les créanciers personnels d'un "
        "indivisaire ne peuvent saisir sa part dans les biens indivis, mais ils ont la "
        "faculté de provoquer le partage au nom de leur débiteur ou d'intervenir dans le "
        "partage provoqué par lui."
    ),
    "procedure_collective": (
        "Aux termes des articles L.631-5 et L.640-5 du code de commerce, le tribunal peut "
        "être saisi sur l'assignation d'un créancier, quelle que soit la nature de sa "
        "créance, aux fins d'ouverture d'une procédure de redressement judiciaire ou, si le "
        "redressement est manifestement impossible, de liquidation judiciaire. Est en "
        "cessation des paiements le débiteur qui est dans l'impossibilité de faire face au "
        "passif exigible avec son actif disponible (article L.631-1)."
    ),
}
GENERIC_FACTS = {
    "action_paulienne": (
        "l'antériorité de la créance fiscale sur l'acte contesté, l'appauvrissement du "
        "débiteur qui en résulte, la fraude (conscience du préjudice causé au créancier) et, "
        "pour un acte à titre onéreux, la connaissance de la fraude par le cocontractant"
    ),
    "action_oblique": (
        "la créance du comptable public, la carence du débiteur dans l'exercice de ses droits "
        "et le fait que cette carence compromet le recouvrement"
    ),
    "partage_indivision": (
        "la quote-part indivise du débiteur, l'impossibilité de la saisir avant partage et "
        "l'intérêt du partage pour le recouvrement"
    ),
    "procedure_collective": (
        "la créance exigible et impayée du comptable public, l'échec des poursuites "
        "individuelles, la cessation des paiements et, le cas échéant, l'impossibilité "
        "manifeste du redressement"
    ),
}
GENERIC_OTHER_PARTIES = {
    "action_paulienne": "le tiers cocontractant de l'acte contesté " + TO_COMPLETE,
    "action_oblique": "le débiteur du redevable contre lequel l'action est exercée " + TO_COMPLETE,
    "partage_indivision": "les coïndivisaires " + TO_COMPLETE,
}


class _Draft:
    """The case's data, phrased for pleadings."""

    def __init__(self, case: Case):
        self.case = case
        self.debtor = debtor_data(case)
        self.claims, self.totals = claims_data(case)
        self.targets = targets_data(case)
        self.pieces = pieces_data(case)
        self.act = starting_act_data(case)
        self.mandate = current_mandate(case)
        self.action = case.action_type
        poste = case.poste_comptable
        if poste is None:
            self.accountant = f"le comptable public {TO_COMPLETE}"
        else:
            article = "de la" if poste.name.lower().startswith("trésorerie") else "du"
            self.accountant = f"le comptable public responsable {article} {poste.name}"

    # Parts shared by every draft.

    def plaintiff(self) -> str:
        direction = self.case.direction
        text = (
            f"Demandeur : {self.accountant}, domicilié en ses bureaux, agissant sous "
            f"l'autorité de la {direction.name[:1].lower()}{direction.name[1:]} "
            f"({direction.code}), poursuites et diligences du pôle national de soutien au "
            "réseau — actions lourdes (PNSR)."
        )
        if self.mandate is None:
            lawyer = f"Maître {TO_COMPLETE}, avocat au barreau de {TO_COMPLETE}"
        else:
            law = self.mandate.lawyer
            bar = law.bar[:1].lower() + law.bar[1:]
            lawyer = f"{law.name}, avocat au {bar}"
            if law.firm:
                lawyer += f" ({law.firm})"
            if law.address.strip():
                lawyer += f", {_one_line(law.address)}"
        return f"{text}\nReprésenté par : {lawyer}."

    def debtor_party(self) -> str:
        d = self.debtor
        address = _one_line(d["address"]) or f"[adresse {TO_COMPLETE[1:]}"
        if d["is_legal_person"]:
            siren = d["siren"] or TO_COMPLETE
            return (
                f"{d['name']}, société immatriculée sous le numéro SIREN {siren}, dont le "
                f"siège est situé {address}, prise en la personne de son représentant légal "
                "domicilié en cette qualité audit siège"
            )
        born = f", né(e) le {d['birth_date']}" if d["birth_date"] else ""
        return f"{d['name']}{born}, demeurant {address}"

    def claims_paragraph(self) -> str:
        items = [
            f"{c['tax_label']} {c['period']}, mise en recouvrement le {c['assessment_date']} : "
            f"{c['total']} en droits et pénalités, dont {c['remaining']} restant dus"
            for c in self.claims
        ]
        opening = (
            f"{self.accountant[:1].upper()}{self.accountant[1:]} poursuit le recouvrement "
            f"de créances fiscales dues par {self.debtor['name']}, mises en recouvrement "
            "par des titres exécutoires (LPF art. L.252 A) et demeurées impayées malgré les "
            f"poursuites, pour un montant restant dû de {self.totals['remaining']} :"
        )
        return f"{opening}\n{_items(items)}" if items else opening

    def prescription(self) -> str:
        earliest = self.totals["earliest_prescription"]
        if not earliest:
            return ""
        return (
            "La prescription de l'action en recouvrement (LPF art. L.274) n'est acquise pour "
            f"aucune de ces créances avant le {earliest}."
        )

    def situation(self) -> str:
        facts = self.case.facts.strip()
        return f"Situation exposée par la direction :\n{facts}" if facts else ""

    def pieces_section(self) -> dict:
        count = len(self.pieces)
        if not count:
            return _section("pieces", "Pièces", "Bordereau de pièces communiquées : " + TO_COMPLETE)
        listed = " ; ".join(f"n°\u00a0{p['number']} : {p['kind_label']}" for p in self.pieces)
        return _section(
            "pieces",
            "Pièces",
            "Les pièces visées sont énumérées au bordereau de pièces communiquées établi par "
            f"le pôle ({count} pièce{'s' if count > 1 else ''}) : {listed}.",
        )

    def properties(self) -> list[str]:
        result = []
        for p in self.targets["properties"]:
            text = f"{p['address']}, {p['location']}, cadastré {p['cadastral_reference']}"
            if p["lot"]:
                text += f", lot(s) {p['lot']}"
            if p["description"]:
                text += f" ({p['description']})"
            result.append(text)
        return result

    def property_court(self) -> str:
        communes = [p["commune"] for p in self.targets["properties"]]
        place = communes[0] if communes else TO_COMPLETE
        return f"tribunal judiciaire dans le ressort duquel est situé l'immeuble ({place})"

    # Saisie immobilière (CPCE).

    def real_estate(self) -> list[dict]:
        remaining = self.totals["remaining"]
        act = self.act if self.act and self.act["kind"] == "commandement" else None
        if act:
            served = act["served_on"] or TO_COMPLETE
            command = (
                f"Par acte de commissaire de justice signé le {act['signed_on']} et signifié "
                f"le {served}, le comptable public a fait délivrer au débiteur un commandement "
                "de payer valant saisie immobilière, resté sans effet, publié au service de "
                f"la publicité foncière le {TO_COMPLETE}."
            )
        else:
            command = (
                f"Par acte de commissaire de justice du {TO_COMPLETE}, le comptable public a "
                "fait délivrer au débiteur un commandement de payer valant saisie "
                "immobilière, resté sans effet, publié au service de la publicité foncière "
                f"le {TO_COMPLETE}."
            )
        goods = self.properties()
        return [
            _section(
                "parties",
                "Parties",
                f"Devant le juge de l'exécution du {self.property_court()}.",
                self.plaintiff(),
                f"Défendeur (partie saisie) : {self.debtor_party()}.",
                "Créanciers inscrits : l'assignation leur est dénoncée au plus tard le "
                "cinquième jour ouvrable qui suit sa délivrance (CPCE art. R.322-6) "
                f"{TO_COMPLETE} d'après l'état hypothécaire.",
            ),
            _section(
                "faits",
                "Faits et procédure",
                self.claims_paragraph(),
                ("Bien saisi :\n" + _items(goods)) if goods else "",
                command,
                self.situation(),
            ),
            _section(
                "discussion",
                "Discussion",
                "En droit",
                "Aux termes de l'article L.311-2 du code des procédures civiles d'exécution, "
                "tout créancier muni d'un titre exécutoire constatant une créance liquide et "
                "exigible peut procéder à une saisie immobilière. L'avis de mise en "
                "recouvrement et le rôle constituent des titres exécutoires (LPF art. "
                "L.252 A).",
                "Le créancier poursuivant assigne le débiteur saisi à comparaître à "
                "l'audience d'orientation dans les deux mois de la publication du "
                "commandement (CPCE art. R.322-4). À cette audience, le juge vérifie que les "
                "conditions des articles L.311-2, L.311-4 et L.311-6 sont réunies, statue sur "
                "les éventuelles contestations et demandes incidentes et détermine les "
                "modalités de poursuite de la procédure (CPCE art. R.322-15).",
                "En fait",
                f"Le comptable public justifie de titres exécutoires constatant une créance "
                f"liquide et exigible, dont {remaining} restent dus. Le commandement est "
                "demeuré infructueux. Le bien saisi appartient au débiteur, ainsi qu'il "
                "ressort du relevé de propriété et de l'état hypothécaire produits. À défaut "
                "pour le débiteur de justifier des conditions d'une vente amiable, la vente "
                "forcée doit être ordonnée.",
                "Le cahier des conditions de vente, déposé au greffe au plus tard le "
                "cinquième jour ouvrable qui suit l'assignation (CPCE art. R.322-10), fixe la "
                f"mise à prix à {TO_COMPLETE}.",
            ),
            _section(
                "dispositif",
                "Par ces motifs",
                "Il est demandé au juge de l'exécution de :",
                _items(
                    [
                        "constater que le comptable public poursuivant, muni de titres "
                        "exécutoires, agit pour le recouvrement d'une créance liquide et "
                        "exigible, et que les conditions des articles L.311-2, L.311-4 et "
                        "L.311-6 du code des procédures civiles d'exécution sont réunies",
                        f"mentionner le montant retenu de la créance du poursuivant, soit "
                        f"{remaining} en principal et pénalités, arrêté au {TO_COMPLETE}, "
                        "outre les frais et accessoires postérieurs",
                        "ordonner la vente forcée du bien saisi sur la mise à prix fixée au "
                        "cahier des conditions de vente et fixer la date de l'audience "
                        "d'adjudication",
                        "dire que les dépens seront compris dans les frais de vente soumis à taxe",
                    ]
                ),
                "L'assignation reproduit les mentions prescrites à peine de nullité par "
                "l'article R.322-5 du code des procédures civiles d'exécution.",
            ),
            self.pieces_section(),
        ]

    # Saisie immobilière in Alsace-Moselle (local law).

    def local_law_sale(self) -> list[dict]:
        goods = self.properties()
        return [
            _section(
                "parties",
                "Parties",
                f"Devant le tribunal de l'exécution ({self.property_court()}).",
                self.plaintiff().replace("Demandeur :", "Requérant :"),
                f"Débiteur : {self.debtor_party()}.",
            ),
            _section(
                "faits",
                "Faits et procédure",
                self.claims_paragraph(),
                ("Immeuble inscrit au livre foncier :\n" + _items(goods)) if goods else "",
                self.situation(),
            ),
            _section(
                "discussion",
                "Discussion",
                "En droit",
                "L'immeuble est situé en Alsace-Moselle : l'exécution forcée immobilière y "
                "est régie par la loi du 1er juin 1924 mettant en vigueur la législation "
                "civile française dans les départements du Bas-Rhin, du Haut-Rhin et de la "
                "Moselle, et non par les dispositions du code des procédures civiles "
                "d'exécution relatives à la saisie immobilière. La vente forcée est ordonnée "
                "par le tribunal de l'exécution sur requête du créancier muni d'un titre "
                "exécutoire ; l'adjudication est conduite par un notaire commis. La procédure "
                "est à vérifier avec l'avocat au regard du droit local.",
                "En fait",
                f"Le comptable public justifie de titres exécutoires constatant une créance "
                f"liquide et exigible, dont {self.totals['remaining']} restent dus, demeurée "
                "impayée malgré les poursuites.",
            ),
            _section(
                "dispositif",
                "Par ces motifs",
                "Il est demandé au tribunal de l'exécution de :",
                _items(
                    [
                        "ordonner l'exécution forcée immobilière de l'immeuble désigné ci-dessus",
                        "commettre un notaire pour procéder à l'adjudication",
                        "ordonner l'inscription de la décision au livre foncier",
                        "dire que les frais de la procédure seront prélevés par privilège sur "
                        "le prix d'adjudication",
                    ]
                ),
            ),
            self.pieces_section(),
        ]

    # Mise en cause du dirigeant (LPF L.267).

    def manager(self) -> list[dict]:
        managers = self.targets["managers"]
        company = f"{self.debtor['name']}"
        if self.debtor["siren"]:
            company += f" (SIREN {self.debtor['siren']})"

        def party(m: dict) -> str:
            born = f", né(e) le {m['birth_date']}" if m["birth_date"] else ""
            address = m["address"] or TO_COMPLETE
            quality = (m["function"] or "dirigeant").lower()
            return (
                f"{m['name']}{born}, demeurant {address}, pris en sa qualité de {quality} "
                f"de {company}"
            )

        defendants = [party(m) for m in managers] or [f"Le dirigeant {TO_COMPLETE}"]
        names = ", ".join(m["name"] for m in managers) or f"le dirigeant {TO_COMPLETE}"
        plural = len(managers) > 1
        grounds = [f"{m['name']} : {m['grounds']}" for m in managers if m["grounds"]]
        return [
            _section(
                "parties",
                "Parties",
                "Devant le président du tribunal judiciaire du lieu du siège de la société "
                f"({TO_COMPLETE}).",
                self.plaintiff(),
                ("Défendeurs :\n" + _items(defendants))
                if plural
                else f"Défendeur : {defendants[0]}.",
            ),
            _section(
                "faits",
                "Faits et procédure",
                self.claims_paragraph(),
                ("Manquements reprochés :\n" + "\n".join(f"- {g}" for g in grounds))
                if grounds
                else "",
                self.situation(),
            ),
            _section(
                "discussion",
                "Discussion",
                "En droit",
                "Aux termes de l'article L.267 du livre des procédures fiscales, lorsqu'un "
                "dirigeant d'une société est responsable des manœuvres frauduleuses ou de "
                "l'inobservation grave et répétée des obligations fiscales qui ont rendu "
                "impossible le recouvrement des impositions et des pénalités dues par la "
                "société, il peut être déclaré solidairement responsable du paiement de ces "
                "impositions et pénalités par le président du tribunal judiciaire. Le "
                "comptable public assigne à cette fin le dirigeant, de droit ou de fait, "
                "devant le président du tribunal judiciaire du lieu du siège social.",
                "L'action suppose une créance non prescrite (LPF art. L.274) et des "
                "diligences du comptable public : l'impossibilité de recouvrer ne doit pas "
                "résulter de sa propre carence.",
                "En fait",
                f"1. La qualité de dirigeant : {names} "
                f"{'exercent' if plural else 'exerce'} ou "
                f"{'ont exercé' if plural else 'a exercé'} la direction de {company}, ainsi "
                "qu'il ressort de l'extrait Kbis produit.",
                "2. Les manquements : "
                + (
                    "ils sont détaillés ci-dessus ; leur gravité et leur répétition "
                    f"ressortent des pièces produites {TO_COMPLETE}."
                    if grounds
                    else f"défauts répétés de déclaration et de paiement {TO_COMPLETE}."
                ),
                "3. Le lien de causalité : ces manquements ont rendu impossible le "
                f"recouvrement des impositions et pénalités, dont {self.totals['remaining']} "
                "restent dus, malgré les poursuites engagées par le comptable public "
                f"{TO_COMPLETE}.",
                self.prescription(),
            ),
            _section(
                "dispositif",
                "Par ces motifs",
                "Il est demandé au président du tribunal judiciaire de :",
                _items(
                    [
                        f"déclarer {names} solidairement responsable{'s' if plural else ''} "
                        f"avec {self.debtor['name']} du paiement des impositions et "
                        f"pénalités dues par celle-ci, soit {self.totals['remaining']}",
                        f"en conséquence, condamner {names} à payer cette somme au comptable "
                        "public" + (", solidairement" if plural else ""),
                        f"condamner {names} à payer la somme de {TO_COMPLETE} au titre de "
                        "l'article 700 du code de procédure civile, ainsi qu'aux dépens",
                    ]
                ),
            ),
            self.pieces_section(),
        ]

    # Mise en cause du tiers détenteur (LPF L.262, L.263).

    def holder(self) -> list[dict]:
        holders = self.targets["holders"]

        def party(h: dict) -> str:
            siren = f", SIREN {h['siren']}" if h["siren"] else ""
            address = h["address"] or TO_COMPLETE
            return (
                f"{h['name']}{siren}, dont le siège est situé {address}, pris en la personne "
                "de son représentant légal, tiers détenteur"
            )

        defendants = [party(h) for h in holders] or [f"Le tiers détenteur {TO_COMPLETE}"]
        seizures = [
            f"par saisie administrative à tiers détenteur du {h['satd_date']}, le comptable "
            f"public a saisi entre les mains de {h['name']} les sommes détenues pour le compte "
            f"du redevable ou dues à celui-ci, à concurrence de {h['satd_amount']}"
            for h in holders
        ]
        requests = [
            f"condamner {h['name']} à payer au comptable public la somme de "
            f"{h['satd_amount']}, montant de la saisie administrative à tiers détenteur du "
            f"{h['satd_date']}, sauf son recours contre le redevable"
            for h in holders
        ] or [f"condamner le tiers détenteur à payer la somme de {TO_COMPLETE}"]
        requests.append(
            f"condamner le défendeur à payer la somme de {TO_COMPLETE} à titre de dommages et "
            "intérêts, ainsi qu'aux dépens"
        )
        several = len(holders) > 1
        if several:
            who = "Les tiers détenteurs"
        else:
            who = holders[0]["name"] if holders else "Le tiers détenteur"
        verb_not = "n'ont" if several else "n'a"
        return [
            _section(
                "parties",
                "Parties",
                f"Devant le juge de l'exécution du tribunal judiciaire {TO_COMPLETE}.",
                self.plaintiff(),
                ("Défendeurs :\n" + _items(defendants))
                if len(defendants) > 1
                else f"Défendeur : {defendants[0]}.",
                f"Redevable : {self.debtor_party()}.",
            ),
            _section(
                "faits",
                "Faits et procédure",
                self.claims_paragraph(),
                ("Saisies pratiquées :\n" + _items(seizures)) if seizures else "",
                f"{who} {verb_not} ni versé les fonds ni fait "
                f"connaître l'étendue de {'leurs' if several else 'ses'} obligations envers le "
                "redevable, malgré la "
                f"relance du {TO_COMPLETE}.",
                self.situation(),
            ),
            _section(
                "discussion",
                "Discussion",
                "En droit",
                "Aux termes de l'article L.262 du livre des procédures fiscales, les "
                "dépositaires, détenteurs ou débiteurs de sommes appartenant ou devant revenir "
                "au redevable sont tenus, sur la demande qui leur en est faite sous forme de "
                "saisie administrative à tiers détenteur, de verser au lieu et place du "
                "redevable les fonds qu'ils détiennent ou qu'ils doivent, à concurrence des "
                "impositions dues. La saisie emporte l'effet d'attribution immédiate des "
                "sommes saisies disponibles et s'étend aux créances conditionnelles ou à "
                "terme (LPF art. L.263).",
                "Par analogie avec les articles R.211-5 et R.211-9 du code des procédures "
                "civiles d'exécution, le tiers saisi qui, sans motif légitime, ne fournit pas "
                "les renseignements dus ou refuse de payer peut être condamné par le juge de "
                "l'exécution au paiement des sommes pour lesquelles la saisie a été "
                "pratiquée, sans préjudice de dommages et intérêts.",
                "En fait",
                f"{who} {'ont' if several else 'a'} reçu la saisie, ainsi qu'en atteste "
                "l'accusé de réception produit, et n'"
                f"{'ont' if several else 'a'} ni payé ni déclaré, sans justifier d'aucun "
                "motif légitime, privant le comptable public du recouvrement des sommes "
                f"saisies, alors que {self.totals['remaining']} restent dus.",
            ),
            _section(
                "dispositif",
                "Par ces motifs",
                "Il est demandé au juge de l'exécution de :",
                _items(requests),
            ),
            self.pieces_section(),
        ]

    # The other actions: draft conclusions.

    def conclusions(self, code: str) -> list[dict]:
        action = self.action
        if code == "procedure_collective":
            court = (
                "le tribunal de commerce ou le tribunal judiciaire, selon l'activité du "
                f"débiteur {TO_COMPLETE}"
            )
        else:
            court = f"{court_in_sentence(action.court)} {TO_COMPLETE}" if action else TO_COMPLETE
        basis = action.legal_basis if action else TO_COMPLETE
        defendants = [self.debtor_party()]
        if code in GENERIC_OTHER_PARTIES:
            defendants.append(GENERIC_OTHER_PARTIES[code])
        remaining = self.totals["remaining"]
        law = GENERIC_LAW.get(code, f"L'action est fondée sur : {basis}.")
        facts = GENERIC_FACTS.get(code, "les conditions de l'action")
        requests = {
            "action_paulienne": [
                f"déclarer inopposable au comptable public l'acte {TO_COMPLETE} passé par "
                f"{self.debtor['name']} en fraude de ses droits",
                f"dire que le comptable public pourra poursuivre le recouvrement de sa "
                f"créance de {remaining} sur le bien qui en est l'objet",
            ],
            "action_oblique": [
                "dire le comptable public recevable et bien fondé à exercer, pour le compte "
                f"de {self.debtor['name']}, l'action {TO_COMPLETE} que celui-ci néglige "
                "d'exercer",
                f"condamner le défendeur à exécuter son obligation envers {self.debtor['name']} "
                f"{TO_COMPLETE}, afin que le comptable public puisse y poursuivre le "
                f"recouvrement de sa créance de {remaining}",
            ],
            "partage_indivision": [
                "ordonner l'ouverture des opérations de compte, liquidation et partage de "
                f"l'indivision portant sur {'; '.join(self.properties()) or TO_COMPLETE}",
                "désigner un notaire pour y procéder et, à défaut de partage en nature, "
                "ordonner la licitation du bien",
                f"dire que le comptable public sera rempli de sa créance de {remaining} sur "
                f"la part revenant à {self.debtor['name']}",
            ],
            "procedure_collective": [
                f"constater l'état de cessation des paiements de {self.debtor['name']}",
                "ouvrir à son égard une procédure de redressement judiciaire ou, si le "
                "redressement est manifestement impossible, de liquidation judiciaire",
                "fixer provisoirement la date de cessation des paiements",
            ],
        }.get(code, [f"faire droit à la demande du comptable public {TO_COMPLETE}"])
        requests.append(
            "dire que les dépens seront employés en frais privilégiés de procédure"
            if code == "procedure_collective"
            else "condamner les défendeurs aux dépens"
        )
        return [
            _section(
                "parties",
                "Parties",
                f"Devant {court}.",
                self.plaintiff(),
                ("Défendeurs :\n" + _items(defendants))
                if len(defendants) > 1
                else f"Défendeur : {defendants[0]}.",
            ),
            _section(
                "faits",
                "Faits et procédure",
                self.claims_paragraph(),
                ("Biens concernés :\n" + _items(self.properties())) if self.properties() else "",
                self.situation(),
            ),
            _section(
                "discussion",
                "Discussion",
                "En droit",
                law,
                "En fait",
                f"Les pièces produites établissent {facts} {TO_COMPLETE}.",
                f"La créance du comptable public s'élève à {remaining}, demeurée impayée "
                "malgré les poursuites.",
            ),
            _section(
                "dispositif",
                "Par ces motifs",
                "Il est demandé au tribunal de :",
                _items(requests),
            ),
            self.pieces_section(),
        ]
