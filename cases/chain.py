"""The hash chain of a case's history (pure: no database).

Each history entry (`cases.models.CaseEvent`) stores the hash of the entry before it in
the same case (`previous_hash`, empty for the first) and the SHA-256 of its own canonical
content (`entry_hash`), which includes that previous hash: changing, removing or
inserting an entry anywhere breaks every link after it. `CaseEvent.record`, the demo
generator (`demo/bulk/rows.py`), the migration that chained the existing rows and
`manage.py verify_integrity` all go through `entry_hash`."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any

# The fields of an entry that its hash covers, besides the case, the actor and the
# previous hash.
TEXT_FIELDS = (
    "actor_label",
    "kind",
    "transition",
    "source_status",
    "target_status",
    "summary",
    "reason",
)


def utc_iso(moment: datetime.datetime) -> str:
    """The moment in UTC, ISO 8601 with microseconds: the same text whichever time zone
    the database handed it back in."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(
    *,
    case_id: int,
    at: datetime.datetime,
    actor_id: int | None,
    data: Any,
    previous_hash: str,
    **text: str,
) -> bytes:
    """The stable serialisation of an entry: sorted keys, no spaces, UTF-8. `data` is
    normalised through JSON first (tuples become lists, keys strings), as the database
    gives it back."""
    content = {name: text.get(name) or "" for name in TEXT_FIELDS}
    content.update(
        case=case_id,
        at=utc_iso(at),
        actor=actor_id,
        data=json.loads(json.dumps(data if data is not None else {})),
        previous=previous_hash or "",
    )
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical content of an entry given as a mapping with
    case_id, at, actor_id, data, previous_hash and the TEXT_FIELDS."""
    return hashlib.sha256(
        canonical(
            case_id=fields["case_id"],
            at=fields["at"],
            actor_id=fields["actor_id"],
            data=fields["data"],
            previous_hash=fields["previous_hash"],
            **{name: fields.get(name) or "" for name in TEXT_FIELDS},
        )
    ).hexdigest()


def seal(event, previous_hash: str) -> None:
    """Set `previous_hash` and `entry_hash` on an unsaved CaseEvent (its case and actor
    saved, so that their ids are known)."""
    event.previous_hash = previous_hash or ""
    actor_id = event.actor_id
    if actor_id is None and event.actor is not None:  # saved after being assigned
        actor_id = event.actor.pk
    event.entry_hash = entry_hash(
        {
            "case_id": event.case.pk if event.case_id is None else event.case_id,
            "actor_id": actor_id,
            "at": event.at,
            "data": event.data,
            "previous_hash": event.previous_hash,
            **{name: getattr(event, name) for name in TEXT_FIELDS},
        }
    )
