"""The progress line of `seed_demo --cases N`."""

from __future__ import annotations

import sys
import time


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


class Progress:
    """'Dossiers  42 000 / 100 000 [████████░░░░] 42 %  1 234/s' on stderr, in place."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.width = total, width
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        elapsed = max(time.monotonic() - self.start, 1e-6)
        share = done / self.total if self.total else 1
        filled = int(self.width * share)
        bar = "█" * filled + "░" * (self.width - filled)
        rate = done / elapsed
        self.stream.write(
            f"\rDossiers {_thousands(done):>9} / {_thousands(self.total)} [{bar}] "
            f"{share * 100:3.0f} %  {_thousands(int(rate))}/s "
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
