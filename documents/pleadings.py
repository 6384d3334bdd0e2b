"""Draft pleadings (projet d'écritures) the pôle prepares for the lawyer.

`default_sections(case)` gives a first draft filled from the case: an assignation for the
three actions the pôle brings most (saisie immobilière, mise en cause du dirigeant, mise en
cause du tiers détenteur), and draft conclusions for the other actions. Each section is
{"key", "title", "body"}; a body is plain text, paragraphs separated by a blank line and
list items starting with "- ". What the case does not say is left between square
brackets, "[à compléter]", for the jurist to fill in.

The legal text is in templates a jurist reads and corrects without reading Python
(templates/documents/pleadings/, see LISEZMOI.md there): one directory per draft, named
after the action's code, one file per section; a section the directory lacks comes from
`conclusions/`. The phrases several sections share (the parties, the claims…) are in
`_parts/`. This module holds the structure (which sections, in which order, their titles)
and the case's data the templates are given.

The texts are drafts to be reread and validated by the head of the pôle before they go to
the lawyer; they cite the statutes the action rests on and nothing the file does not
support.
"""

from __future__ import annotations

import datetime
import re

from django.template import Context
from django.template.backends.django import Template
from django.template.loader import get_template, select_template

from cases.enums import IMPOSSIBILITY_PIECES, Instance, StartingActKind
from cases.formatting import court_in_sentence, one_line
from cases.models import Case

from .data import (
    claims_data,
    current_mandate,
    debtor_data,
    end_of_day,
    excluded_claims_data,
    pieces_data,
    starting_act_data,
    targets_data,
)

TEMPLATES = "documents/pleadings"

# Every draft's sections: key (the template's name) and title, in order.
SECTIONS = (
    ("parties", "Parties"),
    ("faits", "Faits et procédure"),
    ("discussion", "Discussion"),
    ("dispositif", "Par ces motifs"),
    ("pieces", "Pièces"),
)

# The drafts that are not conclusions, and their title; any other draft is titled
# "Conclusions — <action>".
TITLES = {
    "saisie_immobiliere": "Assignation à l'audience d'orientation devant le juge de l'exécution",
    "saisie_immobiliere_droit_local": (
        "Requête aux fins d'exécution forcée immobilière (droit local)"
    ),
    "solidarite_dirigeant": "Assignation du dirigeant en responsabilité solidaire (LPF art. L.267)",
    "tiers_detenteur": "Assignation du tiers détenteur devant le juge de l'exécution",
    "action_paulienne": (
        "Assignation devant le tribunal judiciaire en inopposabilité d'un acte fait en fraude "
        "des droits du créancier (action paulienne, C. civ. art. 1341-2)"
    ),
    "action_oblique": (
        "Assignation devant le tribunal judiciaire exerçant les droits du débiteur "
        "(action oblique, C. civ. art. 1341-1)"
    ),
    "partage_indivision": (
        "Assignation en partage judiciaire de l'indivision (C. civ. art. 815-17 et 840)"
    ),
    "procedure_collective": (
        "Assignation aux fins d'ouverture d'une procédure collective "
        "(C. com. art. L.631-5 et L.640-5)"
    ),
}
# The drafts that start the action by an assignation: their parties open on the act's
# mentions (CPC art. 54, 56, 648) and their last section closes on the notices the court
# requires (CPC art. 752 before the tribunal judiciaire, 855 before the tribunal de
# commerce, CPCE art. R.322-5 for the saisie immobilière).
ASSIGNATIONS = frozenset(
    {
        "saisie_immobiliere",
        "solidarite_dirigeant",
        "tiers_detenteur",
        "action_paulienne",
        "action_oblique",
        "partage_indivision",
        "procedure_collective",
    }
)
# The legal forms whose opening of collective proceedings is for the tribunal judiciaire
# (a civil activity: C. com. art. L.621-2, L.631-7, L.641-1); others, the commercial court.
CIVIL_FORMS = ("societe_civile", "association")
# "02000 Laon": a postal code and its commune, on an address's last line.
PLACE = re.compile(r"\b(\d{5})\s+([^\d\n,][^\n,]*)\s*$")

# The shared phrases (_parts/<name>.txt), rendered in this order: each may use the ones
# before it, and every section may use them all.
PARTS = (
    "comptable",
    "avocat",
    "requerant",
    "demandeur",
    "tribunal",
    "assignation",
    "comparution",
    "redevable",
    "societe",
    "creances",
    "prescription",
    "situation",
    "tribunal_immeuble",
    "noms_dirigeants",
)
# The shared phrases rendered last, once the phrases said of each item are known.
LAST_PARTS = ("mentions_saisie", "mentions")
# Shared phrases said of each item of a list: name of the list of phrases -> (the part,
# which sees the item under its own name, and the list of items).
ITEM_PARTS = {
    "biens": ("bien", "properties"),
    "dirigeants": ("dirigeant", "managers"),
    "tiers_detenteurs": ("tiers_detenteur", "holders"),
}

# A template's paragraphs are separated by blank lines (a line holding only a tag counts
# as blank). The case's own text (facts, addresses, grounds) keeps its line breaks: they
# stand as this character while the template's paragraphs are read.
LINE_BREAK = "\ue000"
PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")


def draft_name(case: Case) -> str:
    """Which draft the case gets: its action's code, the local-law variant of the
    saisie immobilière in Alsace-Moselle, "conclusions" without an action."""
    code = case.action_type.code if case.action_type_id else "conclusions"
    if code == "saisie_immobiliere" and case.is_alsace_moselle:
        return "saisie_immobiliere_droit_local"
    return code


# The acts by which the pleading itself is brought: its date is theirs.
PLEADING_ACTS = (StartingActKind.ASSIGNATION, StartingActKind.REQUETE)


def pleading_date(case: Case) -> datetime.date | None:
    """The pleading's date: the signing of the assignation or requête it became, once
    recorded; None while it is still a draft to be dated."""
    act = case.starting_acts.filter(kind__in=PLEADING_ACTS).order_by("-signed_on", "-pk").first()
    return act.signed_on if act else None


def as_of(case: Case) -> datetime.datetime | None:
    """The moment the pleading shows the case at (documents.data): the end of its day."""
    on = pleading_date(case)
    return end_of_day(on) if on else None


def asked_for(case: Case) -> frozenset[int]:
    """The pieces a pleading never lists: the judgments it asks for, those of the
    decisions rendered on or after its date (before it is dated: of the first
    instance)."""
    on = pleading_date(case)
    decisions = case.decisions.exclude(judgment__isnull=True)
    if on is None:
        decisions = decisions.filter(instance=Instance.FIRST)
    else:
        decisions = decisions.filter(decided_on__gte=on)
    return frozenset(decisions.values_list("judgment_id", flat=True))


def draft_title(case: Case) -> str:
    title = TITLES.get(draft_name(case))
    if title:
        return title
    label = case.action_type.label if case.action_type_id else "action du comptable public"
    return f"Conclusions — {label}"


def default_sections(case: Case) -> list[dict]:
    draft = draft_name(case)
    context = template_context(case)
    return [
        {
            "key": key,
            "title": title,
            "body": _text(
                select_template(
                    [f"{TEMPLATES}/{draft}/{key}.txt", f"{TEMPLATES}/conclusions/{key}.txt"]
                ),
                context,
            ).replace(LINE_BREAK, "\n"),
        }
        for key, title in SECTIONS
    ]


def template_context(case: Case) -> dict:
    """What the pleadings' templates are given: the case's data, then the shared phrases."""
    context = _protect(case_data(case))
    for name in PARTS:
        context[name] = _text(get_template(f"{TEMPLATES}/_parts/{name}.txt"), context)
    for name, (part, items) in ITEM_PARTS.items():
        template = get_template(f"{TEMPLATES}/_parts/{part}.txt")
        context[name] = [_text(template, {**context, part: item}) for item in context[items]]
    for name in LAST_PARTS:
        context[name] = _text(get_template(f"{TEMPLATES}/_parts/{name}.txt"), context)
    return context


def place_of(address: str) -> str:
    """The commune of an address ("4 rue du Bourg\n02000 Laon" -> "Laon (02000)"), or ""."""
    match = PLACE.search(address.strip())
    return f"{match.group(2).strip()} ({match.group(1)})" if match else ""


def court_data(case: Case, debtor: dict, targets: dict) -> dict:
    """What the file says of the competent court (the templates' `_parts/tribunal.txt`
    words it): the court named on the starting act once recorded, the place of the first
    property (saisie immobilière, partage), the debtor's seat or domicile (the other
    actions), and whether the commercial court hears the opening of collective
    proceedings (a legal person of commercial form)."""
    act = (
        case.starting_acts.exclude(court="")
        .exclude(kind=StartingActKind.DECLARATION_APPEL)
        .order_by("-signed_on", "-pk")
        .first()
    )
    first = targets["properties"][0] if targets["properties"] else None
    return {
        "recorded": court_in_sentence(act.court) if act else "",
        "property_place": (
            " ".join(filter(None, [first["commune"], f"({first['departement']})"]))
            if first and first["commune"]
            else ""
        ),
        "seat_place": place_of(debtor["address"]),
        "commercial": debtor["is_legal_person"] and case.debtor.legal_form not in CIVIL_FORMS,
    }


def case_data(case: Case) -> dict:
    """The case as it stood on the pleading's date (`as_of`)."""
    moment = as_of(case)
    debtor = debtor_data(case)
    claims, totals = claims_data(case, moment)
    targets = targets_data(case)
    act = starting_act_data(case)
    mandate = current_mandate(case)
    poste = case.poste_comptable
    direction = case.direction
    action = case.action_type
    lawyer = mandate.lawyer if mandate else None
    pieces = pieces_data(case, moment, leave_out=asked_for(case))
    draft = draft_name(case)
    return {
        "draft": draft,
        "is_assignation": draft in ASSIGNATIONS,
        "court": court_data(case, debtor, targets),
        "debtor": debtor,
        "debtor_address": one_line(debtor["address"]),
        "claims": claims,
        "totals": totals,
        "excluded_claims": excluded_claims_data(case, moment),
        "properties": targets["properties"],
        "managers": targets["managers"],
        "managers_at_fault": [m for m in targets["managers"] if m["grounds"]],
        "holders": targets["holders"],
        "pieces": pieces,
        # LPF L.267: the pieces that prove recovering from the company impossible.
        "impossibility_pieces": [p for p in pieces if p["kind"] in IMPOSSIBILITY_PIECES],
        "facts": case.facts.strip(),
        "commandement": act if act and act["kind"] == StartingActKind.COMMANDEMENT else None,
        "poste": (
            {"name": poste.name, "feminine": poste.name.lower().startswith("trésorerie")}
            if poste
            else None
        ),
        "direction": {
            "code": direction.code,
            "name_in_sentence": direction.name[:1].lower() + direction.name[1:],
        },
        "lawyer": (
            {
                "name": lawyer.name,
                "bar": lawyer.bar,
                "bar_in_sentence": lawyer.bar[:1].lower() + lawyer.bar[1:],
                "firm": lawyer.firm,
                "address": one_line(lawyer.address),
            }
            if lawyer
            else None
        ),
        "action": (
            {
                "court_in_sentence": court_in_sentence(action.court),
                "legal_basis": action.legal_basis,
            }
            if action
            else None
        ),
    }


def _protect(value):
    """The value with the line breaks of its text replaced by LINE_BREAK."""
    if isinstance(value, str):
        return value.replace("\n", LINE_BREAK)
    if isinstance(value, dict):
        return {key: _protect(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_protect(item) for item in value]
    return value


def _text(template: Template, context: dict) -> str:
    """The template rendered as plain text (no HTML escaping), its paragraphs trimmed of
    the template's line breaks, the empty ones left out, one blank line between them."""
    text = template.template.render(Context(context, autoescape=False))
    paragraphs = (paragraph.strip("\n") for paragraph in PARAGRAPH_BREAK.split(text))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip())
