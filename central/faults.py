"""Crash points for the sync fault tests: off unless CENTRAL_FAULT names one (never set in production).

``CENTRAL_FAULT=before_commit:N`` ends the process abruptly (no commit, no answer) during the N-th push it
handles, after applying the batch but before committing it; ``after_commit:N`` ends it after the commit,
before the answer leaves. The process dies as a power cut would: no cleanup, no flush of buffers.
"""

from __future__ import annotations

import os
from collections import Counter

_seen: Counter[str] = Counter()


def crash_point(name: str) -> None:
    wanted = os.environ.get("CENTRAL_FAULT", "")
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _seen[name] += 1
    if _seen[name] >= int(nth or 1):
        os._exit(70)
