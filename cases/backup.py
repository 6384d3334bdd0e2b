"""A consistent copy of the database and the stored files together (`manage.py backup`),
and its restoration (`manage.py restore`); `manage.py verify_integrity` then checks the
restored copy (every chain, every file's SHA-256).

Why the order (files, database, files again) keeps the two consistent: a stored file is
written before its row is committed (cases.services.store_upload, documents.generation),
is never rewritten (its name is its hash, or a document's version), and is deleted only
after the commit that removes its row (cases.services.remove_piece). So:

1. every file present is copied first;
2. the database snapshot is taken (SQLite: the online backup API; PostgreSQL: pg_dump,
   one transaction): each row it holds had its file written before its commit, so that
   file was either copied in step 1 or is still there;
3. the files that appeared since step 1 are copied.

A file removed after step 1 is in the copy without a row (harmless). The one gap: a file
uploaded after step 1 and removed again between steps 2 and 3 (a piece added and withdrawn
during the backup), whose row the snapshot holds; `verify_integrity` on the restored copy
names it (« fichier absent »), and the history says it was withdrawn."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

DATABASE_SQLITE = "base.sqlite3"
DATABASE_DUMP = "base.dump"  # pg_dump's custom format
MEDIA = "fichiers"


class BackupError(Exception):
    """A backup or a restoration that cannot be done, with a French message."""


def _copy_new_files(source: Path, target: Path) -> int:
    copied = 0
    for root, _dirs, files in os.walk(source):
        for name in files:
            path = Path(root) / name
            destination = target / path.relative_to(source)
            if destination.exists():
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(path, destination)
            except FileNotFoundError:  # removed meanwhile: its row is gone too
                continue
            copied += 1
    return copied


def _pg_environment(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):  # fmt: skip
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"« {command[0]} » est introuvable : installez les outils clients de PostgreSQL."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {result.stderr.strip()}")


def backup(target: Path) -> dict:
    """Write the copy into `target` (a new or empty directory). Returns what was copied."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Le répertoire {target} n'est pas vide : choisissez-en un nouveau.")
    if connection.in_atomic_block:
        raise BackupError("Une sauvegarde ne se lance pas dans une transaction en cours.")
    # On an object store (S3_BUCKET) the files are kept by the store's own means
    # (versioning, replication): only the database is copied, and the command says so.
    on_disk = isinstance(storages["default"], FileSystemStorage)
    media_root = Path(settings.MEDIA_ROOT)
    media = target / MEDIA
    media.mkdir(parents=True, exist_ok=True)
    before = _copy_new_files(media_root, media) if on_disk and media_root.exists() else 0
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        destination = sqlite3.connect(target / DATABASE_SQLITE)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif connection.vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target / DATABASE_DUMP)],
            _pg_environment(connection.settings_dict),
        )  # fmt: skip
    else:
        raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")
    after = _copy_new_files(media_root, media) if on_disk and media_root.exists() else 0
    return {"files": before + after, "files_after_snapshot": after, "files_on_disk": on_disk}


def restore(source: Path, settings_dict: dict, media_root: Path) -> None:
    """Restore the copy in `source` into the (empty) database of `settings_dict` and the
    (empty or absent) `media_root`."""
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"Le répertoire des fichiers {media_root} n'est pas vide.")
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        if not (source / DATABASE_SQLITE).exists():
            raise BackupError(f"{source} ne contient pas de sauvegarde SQLite ({DATABASE_SQLITE}).")
        database = Path(settings_dict["NAME"])
        if database.exists() and database.stat().st_size:
            raise BackupError(f"La base {database} existe déjà : restaurez dans une base neuve.")
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / DATABASE_SQLITE, database)
    elif engine.endswith("postgresql"):
        if not (source / DATABASE_DUMP).exists():
            raise BackupError(
                f"{source} ne contient pas de sauvegarde PostgreSQL ({DATABASE_DUMP})."
            )
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--dbname", settings_dict["NAME"], str(source / DATABASE_DUMP)],
            _pg_environment(settings_dict),
        )  # fmt: skip
    else:
        raise BackupError(f"Base de données non prise en charge : {engine}.")
    shutil.copytree(source / MEDIA, media_root, dirs_exist_ok=True)
