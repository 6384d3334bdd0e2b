"""The parts of the case page that the layers above the kernel draw (the process, the
documents…). The kernel's page does not import them: each app registers its panel in its
`AppConfig.ready()`, and `cases/views.py` adds the panels of a case to its page.

A panel is a template, included in the page's side column in the order of `position`, and a
function `(user, case) -> dict | None` that gives the template its variables, merged into
the page's context; `None` leaves the panel out of the page (its queries are not run
either).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Case, User


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    position: int
    context: Callable[[User, Case], dict | None]


_panels: dict[str, Panel] = {}


def register(name: str, *, template: str, position: int, context) -> None:
    """Add (or, under the same name, replace: `ready()` may run twice) a panel."""
    _panels[name] = Panel(name, template, position, context)


def registered() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: (panel.position, panel.name))


def add_to(page: dict, user: User, case: Case) -> None:
    """Put this user's panels of the case into the page's context: `panels`, the templates
    to include in order, and the variables they read (a name the page or another panel
    already uses is a programming error, not something to override silently)."""
    templates: list[str] = []
    for panel in registered():
        extra = panel.context(user, case)
        if extra is None:
            continue
        clash = page.keys() & extra.keys()
        if clash:
            raise ValueError(f"Panel {panel.name!r} redefines {sorted(clash)} on the case page.")
        templates.append(panel.template)
        page.update(extra)
    page["panels"] = templates
