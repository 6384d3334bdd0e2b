"""`make bench-uploads`: the memory a zip bomb costs the upload check.

Builds an OpenDocument text whose `mimetype` entry (the one the check reads) decompresses
to BENCH_BOMB_MB megabytes (default 256) of zeros, deflated at the highest level, then
runs `cases.pieces.check_upload` on it under tracemalloc and reports the upload's size,
whether it was refused, and the peak of the memory allocated during the check."""

from __future__ import annotations

import io
import os
import sys
import tracemalloc
import zipfile

BOMB_MB = int(os.environ.get("BENCH_BOMB_MB", 256))
CHUNK = b"\0" * (1024 * 1024)


def bomb(megabytes: int, entry: str = "mimetype") -> bytes:
    """An ODT whose `entry` inflates to `megabytes` MB (streamed: never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        if entry != "mimetype":
            zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        with zf.open(entry, "w") as inner:
            for _ in range(megabytes):
                inner.write(CHUNK)
    return out.getvalue()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pnsr.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.pieces import check_upload

    content = bomb(BOMB_MB)
    upload = SimpleUploadedFile("statuts.odt", content)
    tracemalloc.start()
    try:
        check_upload(upload)
        outcome = "accepted"
    except ValidationError as error:
        outcome = f"refused: {error.messages[0]}"
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"upload: {len(content) / 1024:.0f} KiB, inflating to {BOMB_MB} MiB")
    print(f"outcome: {outcome}")
    print(f"peak memory during the check: {peak / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    sys.exit(main())
