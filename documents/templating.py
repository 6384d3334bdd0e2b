"""The documents' templates as the head of the pôle edits them in the application.

A kind's template is the file templates/documents/<kind>.html (version 0) until the head
writes a version of it (documents.TemplateVersion), for every action type or for one.
A document is rendered from the newest version for its case's action type, else the
newest for every action type, else the file; it records which (`Document.template_version`).

A text is checked before it is saved (`check_source`), with a French message: its Django
syntax; its variables, whose first name must be one the renderer gives
(`render.template_context`) or one the template binds itself ({% for %}, {% with %}…);
no {% load %} of a library the file templates do not load; {% extends %} and
{% include %} only of an existing file under templates/documents/, named literally.

Saving is refused when the version the head started from is no longer the newest (two
tabs, two people): nothing is overwritten silently.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.base import FilterExpression, Lexer, Node, NodeList, TokenType, Variable
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.template.smartif import TokenBase
from django.utils import timezone

from cases import access
from cases.models import ActionType, Case, User

from . import context, render
from .enums import DocumentKind
from .models import TemplateVersion

# Where an edited template may extend or include from.
TEMPLATES_DIR = "documents/"
PAGES_DIR = "documents/pages/"  # the site's pages, not a document's
# Names Django gives every template besides its context.
TEMPLATE_BUILTINS = frozenset(Context().flatten()) | {"forloop", "block"}
# Tags refused in a document's template ({% debug %} prints the whole context).
REFUSED_TAGS = frozenset({"debug"})
MAX_LENGTH = 200_000


def _refused(message: str) -> ValidationError:
    return ValidationError(message, code="template")


# -- which version a document uses ---------------------------------------------------


def scope_versions(kind: str, action_type: ActionType | None):
    """The versions of one template: the kind's for one action type, or for all (None)."""
    return TemplateVersion.objects.filter(kind=kind, action_type=action_type).select_related(
        "author", "action_type"
    )


def scope_latest(kind: str, action_type: ActionType | None) -> TemplateVersion | None:
    return scope_versions(kind, action_type).order_by("-number").first()


def current(kind: str, action_type_id: int | None) -> TemplateVersion | None:
    """The version a document of this kind for a case of this action type is rendered
    from: the newest for the action type, else the newest for all; None: the file."""
    versions = TemplateVersion.objects.filter(kind=kind).order_by("-number")
    if action_type_id is not None:
        own = versions.filter(action_type_id=action_type_id).first()
        if own is not None:
            return own
    return versions.filter(action_type__isnull=True).first()


def source_of(kind: str, version: TemplateVersion | None) -> str:
    return version.body if version is not None else render.file_source(kind)


# -- checking a text -------------------------------------------------------------------


@dataclass
class _Found:
    variables: list[tuple[tuple[str, ...], int]] = field(default_factory=list)
    bound: set[str] = field(default_factory=set)
    templates: list[tuple[FilterExpression, int, str]] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)


def _walk(obj, line: int, found: _Found) -> None:
    """Every variable, bound name and extended or included template under `obj`, with
    its line (the nodes' own attributes, whatever the tag: conditions, filters' arguments,
    a loop's sequence…)."""
    if id(obj) in found.seen:
        return
    found.seen.add(id(obj))
    if isinstance(obj, Node):
        token = getattr(obj, "token", None)
        line = getattr(token, "lineno", None) or line
        for name in getattr(obj, "loopvars", ()):
            found.bound.add(name)
        for attribute in ("asvar", "var_name", "variable_name", "target_var"):
            if isinstance(getattr(obj, attribute, None), str):
                found.bound.add(getattr(obj, attribute))
        if isinstance(obj, ExtendsNode):
            found.templates.append((obj.parent_name, line, "extends"))
        elif isinstance(obj, IncludeNode):
            found.templates.append((obj.template, line, "include"))
        for name in getattr(obj, "extra_context", {}) or {}:
            found.bound.add(name)  # {% with name=… %}, {% include … with name=… %}
        for value in vars(obj).values():
            _walk(value, line, found)
    elif isinstance(obj, (NodeList, list, tuple)):
        for item in obj:
            _walk(item, line, found)
    elif isinstance(obj, dict):
        for item in obj.values():
            _walk(item, line, found)
    elif isinstance(obj, FilterExpression):
        _walk(obj.var, line, found)
        for _filter, arguments in obj.filters:
            for _is_variable, argument in arguments:
                _walk(argument, line, found)
    elif isinstance(obj, Variable):
        if obj.lookups:
            found.variables.append((obj.lookups, line))
    elif isinstance(obj, TokenBase):  # a condition of {% if %}
        for value in vars(obj).values():
            _walk(value, line, found)


def _loaded_libraries(source: str) -> list[tuple[str, int]]:
    """The libraries `{% load %}` names in `source`, with their line."""
    libraries = []
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        words = token.split_contents()
        if words and words[0] == "load":
            names = words[1:]
            if len(names) >= 3 and names[-2] == "from":
                names = names[-1:]
            libraries.extend((name, token.lineno) for name in names)
    return libraries


def _refused_tags(source: str) -> list[tuple[str, int]]:
    tags = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            words = token.split_contents()
            if words and words[0] in REFUSED_TAGS:
                tags.append((words[0], token.lineno))
    return tags


def allowed_libraries() -> set[str]:
    """The libraries the file templates of the kinds load (none today)."""
    return {
        name
        for kind in DocumentKind.values
        for name, _ in _loaded_libraries(render.file_source(kind))
    }


def context_names(kind: str) -> dict[str, set[str] | None]:
    """The names the renderer gives a template of this kind, each with the names under it
    when they do not depend on the case (`meta`), else None (`s`, the snapshot: its keys
    vary with the case, the preview shows them)."""
    stand_in = SimpleNamespace(reference="")
    given = render.template_context({}, render.meta_for(stand_in, kind, version=0))
    return {name: (set(value) if name == "meta" else None) for name, value in given.items()}


def check_source(kind: str, source: str) -> None:
    """Refuse (ValidationError, French) a text that would not render as a document of
    this kind: see the module's docstring."""
    if not source.strip():
        raise _refused("Le texte du modèle est vide.")
    if len(source) > MAX_LENGTH:
        raise _refused(f"Le texte du modèle dépasse {MAX_LENGTH} caractères.")
    allowed = allowed_libraries()
    for library, line in _loaded_libraries(source):
        if library not in allowed:
            raise _refused(
                f"Ligne {line} : la bibliothèque de balises « {library} » n'est pas permise "
                "dans un modèle de document."
            )
    for tag, line in _refused_tags(source):
        raise _refused(
            f"Ligne {line} : la balise « {tag} » n'est pas permise dans un modèle de document."
        )
    try:
        template = engines["django"].from_string(source).template
    except TemplateSyntaxError as error:
        token = getattr(error, "token", None)
        where = f"à la ligne {token.lineno}" if token is not None else "dans le texte"
        detail = str(error).rstrip(". ")
        raise _refused(
            f"Erreur de syntaxe {where} ({detail}). Vérifiez que chaque balise {{% … %}} "
            "est bien écrite et fermée ({% if %} par {% endif %}, {% for %} par {% endfor %}…)."
        ) from None
    found = _Found()
    _walk(template.nodelist, 1, found)
    for name, line, tag in found.templates:
        _check_template_name(name, line, tag)
    given = context_names(kind)
    known = set(given) | found.bound | TEMPLATE_BUILTINS
    for lookups, line in sorted(found.variables, key=lambda item: item[1]):
        first = lookups[0]
        under = given.get(first)
        if first not in known or (
            under is not None and len(lookups) > 1 and lookups[1] not in under
        ):
            names = ", ".join(sorted(given))
            raise _refused(
                f"Ligne {line} : la variable « {'.'.join(lookups)} » est inconnue de ce "
                f"document. Les données s'écrivent {names} (s : le dossier, meta : la page), "
                "ou un nom défini par le modèle lui-même ({% for %}, {% with %})."
            )


def _check_template_name(name: FilterExpression, line: int, tag: str) -> None:
    literal = name.var if not isinstance(name.var, Variable) and not name.filters else None
    if not isinstance(literal, str):
        raise _refused(
            f"Ligne {line} : {{% {tag} %}} doit nommer le modèle entre guillemets, "
            f'par exemple « {{% {tag} "documents/base.html" %}} ».'
        )
    if not literal.startswith(TEMPLATES_DIR) or literal.startswith(PAGES_DIR) or ".." in literal:
        raise _refused(
            f"Ligne {line} : « {literal} » n'est pas un modèle de document : seuls ceux de "
            f"{TEMPLATES_DIR} peuvent être repris par {{% {tag} %}}."
        )
    try:
        get_template(literal)
    except TemplateDoesNotExist:
        raise _refused(f"Ligne {line} : le modèle « {literal} » n'existe pas.") from None


# -- saving, previewing, comparing -----------------------------------------------------


def normalised(source: str) -> str:
    return source.replace("\r\n", "\n").replace("\r", "\n")


STALE = (
    "Le modèle a été modifié entre-temps (version {newest} enregistrée par {author} le "
    "{at}) : votre texte n'a pas été enregistré. Rouvrez le modèle pour repartir de la "
    "dernière version, puis reportez-y vos modifications."
)


@transaction.atomic
def save_version(
    kind: str,
    action_type: ActionType | None,
    body: str,
    user: User,
    *,
    base: int,
    comment: str = "",
) -> TemplateVersion:
    """A new version of the template, numbered after `base`: the newest version the
    author started from (0: the file, or the template for all actions). Refused if it
    is no longer the newest, if the text is refused (`check_source`) or unchanged."""
    if not access.may_edit_document_templates(user):
        raise PermissionDenied("Seul le chef du pôle modifie les modèles de document.")
    if kind not in DocumentKind.values:
        raise ValidationError(f"Document inconnu : {kind}.")
    body = normalised(body)
    check_source(kind, body)
    newest = scope_latest(kind, action_type)
    if (newest.number if newest else 0) != base:
        raise _stale(newest)
    # What the author started from: this template's newest version, else (for one action
    # type) the template for all actions, else the file.
    started_from = newest or (scope_latest(kind, None) if action_type is not None else None)
    if body.strip() == normalised(source_of(kind, started_from)).strip():
        raise ValidationError("Le texte n'a pas changé : aucune version n'a été enregistrée.")
    try:
        with transaction.atomic():
            return TemplateVersion.objects.create(
                kind=kind,
                action_type=action_type,
                number=base + 1,
                body=body,
                comment=comment.strip(),
                author=user,
            )
    except IntegrityError:  # another tab saved version base + 1 meanwhile
        raise _stale(scope_latest(kind, action_type)) from None


def _stale(newest: TemplateVersion | None) -> ValidationError:
    if newest is None:
        return ValidationError(
            "Le modèle a changé entre-temps : rouvrez-le pour repartir de sa dernière version."
        )
    at = timezone.localtime(newest.created_at).strftime("%d/%m/%Y à %H:%M")
    return ValidationError(STALE.format(newest=newest.number, author=newest.author, at=at))


def preview_pdf(kind: str, source: str, case: Case) -> bytes:
    """The PDF this text gives for this case, rendered as a document is (the same
    renderer) but stored nowhere: no Document is created."""
    source = normalised(source)
    check_source(kind, source)
    reason = context.applicability(case, kind)
    if reason:
        raise ValidationError(f"Aperçu impossible sur le dossier {case.reference} : {reason}")
    snapshot = context.build_snapshot(case, kind)
    meta = {**render.meta_for(case, kind, version=0), "version": "aperçu du modèle"}
    return render.html_to_pdf(render.render_html(kind, snapshot, meta, source=source))


def diff_lines(older: str, newer: str, older_label: str, newer_label: str) -> list[str]:
    """The changes from one text to the next, line by line (difflib's unified diff)."""
    return list(
        difflib.unified_diff(
            normalised(older).splitlines(),
            normalised(newer).splitlines(),
            fromfile=older_label,
            tofile=newer_label,
            lineterm="",
        )
    )


def history(kind: str, action_type: ActionType | None) -> list[dict]:
    """The versions of one template, newest first, each with its changes from the one
    before (version 0: the file; for one action type, its first version is compared with
    the template for all actions as it then stood)."""
    versions = list(scope_versions(kind, action_type).order_by("number"))
    rows = []
    previous_label, previous = "version 0 (fichier)", render.file_source(kind)
    if action_type is not None and versions:
        general = (
            TemplateVersion.objects.filter(
                kind=kind, action_type__isnull=True, created_at__lte=versions[0].created_at
            )
            .order_by("-number")
            .first()
        )
        if general is not None:
            previous_label, previous = f"toutes actions v{general.number}", general.body
    for version in versions:
        label = f"version {version.number}"
        rows.append(
            {"version": version, "diff": diff_lines(previous, version.body, previous_label, label)}
        )
        previous_label, previous = label, version.body
    return list(reversed(rows))
