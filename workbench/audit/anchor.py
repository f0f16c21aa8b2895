"""The audit chain's tip anchored outside the store: in the keyring beside the wrapped key, checked at every open.

The store holds the chain; the keyring holds its last known tip (sequence, hash) and a counter that grows
with every anchoring. A store that ends before the anchored sequence was rolled back (an older copy, deleted
events, lost WAL frames); one whose event at that sequence has another hash was replaced or damaged.
The keyring sits on the same laptop: someone who holds the passphrase can rewrite both. Central's copy of
the tip, sent with every sync (workbench.sync.anchoring), is what catches that.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from workbench.audit import chain
from workbench.errors import StoreUnavailable, VaultUnavailable
from workbench.secrets import SecretStore

log = logging.getLogger(__name__)

ANCHOR_DAMAGED = (
    "Het controlepunt van het auditlogboek in de sleutelbos is beschadigd of onleesbaar. "
    "Neem contact op met de servicedesk; werk niet verder op dit apparaat."
)
ROLLED_BACK = (
    "De gegevensopslag is teruggezet naar een eerdere stand: het auditlogboek eindigt bij gebeurtenis {store}, "
    "maar dit apparaat had al gebeurtenis {anchor} vastgelegd ({missing} ontbreken). Er is een oudere kopie "
    "teruggezet, of gebeurtenissen of het WAL-bestand zijn verwijderd of beschadigd. De opslag is niet "
    "geopend en er is niets veranderd. Neem contact op met de servicedesk; werk niet verder op dit apparaat."
)
REPLACED = (
    "De gegevensopslag is vervangen of beschadigd: gebeurtenis {anchor} van het auditlogboek is niet meer "
    "dezelfde als bij het laatste gebruik. De opslag is niet geopend en er is niets veranderd. Neem contact op "
    "met de servicedesk; werk niet verder op dit apparaat."
)


class StoreTampered(StoreUnavailable):
    """The store does not reach or does not match the anchored chain tip; it is not opened for work."""


@dataclass(frozen=True)
class Anchor:
    """The last anchored tip of the chain and how many times it was anchored (never goes down)."""

    seq: int
    hash: str
    counter: int

    def dump(self) -> str:
        return json.dumps({"v": 1, "seq": self.seq, "hash": self.hash, "counter": self.counter})

    @classmethod
    def parse(cls, text: str) -> Anchor:
        try:
            data = json.loads(text)
        except ValueError:
            raise StoreTampered(ANCHOR_DAMAGED) from None
        if not isinstance(data, dict) or data.get("v") != 1:
            raise StoreTampered(ANCHOR_DAMAGED)
        seq, digest, counter = data.get("seq"), data.get("hash"), data.get("counter")
        if (not isinstance(seq, int) or isinstance(seq, bool) or seq < 0
                or not isinstance(counter, int) or isinstance(counter, bool) or counter < 0
                or not isinstance(digest, str) or len(digest) != 64
                or any(c not in "0123456789abcdef" for c in digest)):
            raise StoreTampered(ANCHOR_DAMAGED)
        return cls(seq, digest, counter)


class AnchorKeeper:
    """Reads and advances one profile's anchor in its secret store (the keyring; a file for demo profiles).

    A keyring write costs tens of milliseconds (Secret Service: a D-Bus round trip and a disk write), too
    much for every save. So `note` only hands the committed tip to one background writer, which anchors the
    newest tip it was given: a burst of saves costs one write, and a save never waits for the keyring.
    `flush` (and `close`, when the store closes) waits until the newest tip is anchored.

    Attributes:
        name: the secret's name, beside the profile's wrapped data key.
        failed_writes: anchorings the keyring refused since the last one it took (the next one retries).
    """

    def __init__(self, secrets: SecretStore, profile_id: str) -> None:
        self._secrets = secrets
        self.name = f"{profile_id}/audit-anchor"
        self.failed_writes = 0
        self._cond = threading.Condition()
        self._pending: tuple[int, str] | None = None
        self._busy = False
        self._stopping = False
        self._retired = False
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"AnchorKeeper(name={self.name!r})"

    def read(self) -> Anchor | None:
        text = self._secrets.get(self.name)
        return Anchor.parse(text) if text is not None else None

    def advance(self, seq: int, digest: str) -> Anchor | None:
        """Anchor a committed tip now; an older tip than the anchored one (another process wrote later) is kept.

        The store commits first, then the keyring is written: a crash between leaves the store ahead of its
        anchor, which still extends it. A keyring that fails is logged and retried with the next tip.
        """
        try:
            held = self.read()
            if held is not None and held.seq >= seq:
                return held
            anchor = Anchor(seq, digest, (held.counter if held else 0) + 1)
            self._secrets.set(self.name, anchor.dump())
        except VaultUnavailable:
            self.failed_writes += 1
            log.warning("audit anchor not written (keyring unavailable); %d pending", self.failed_writes)
            return None
        self.failed_writes = 0
        return anchor

    def note(self, seq: int, digest: str) -> None:
        """A unit of work committed this tip: anchor it in the background (the newest tip wins)."""
        with self._cond:
            if self._retired:
                return  # the profile was erased: a late commit must not write its anchor back
            if self._pending is None or seq > self._pending[0]:
                self._pending = (seq, digest)
            self._stopping = False
            if self._thread is None:
                self._thread = threading.Thread(target=self._write_loop, name="audit-anchor", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _write_loop(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopping:
                    self._cond.wait()
                if self._pending is None:
                    self._thread = None
                    self._cond.notify_all()
                    return
                tip, self._pending, self._busy = self._pending, None, True
            try:
                self.advance(*tip)
            except Exception as exc:  # a damaged entry: reported at the next open; never kill the writer
                log.warning("audit anchor not written (%s)", type(exc).__name__)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until every noted tip is anchored (or the keyring gave up on it)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending is not None or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    log.warning("audit anchor still pending after %.0f s", timeout)
                    return
                self._cond.wait(left)

    def close(self) -> None:
        """Anchor what is pending, then stop the writer (a later `note` starts it again)."""
        self.flush()
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=5)

    def retire(self) -> None:
        """Write nothing more, ever (the profile is being erased): a late commit's tip is not anchored."""
        self.close()
        with self._cond:
            self._retired = True

    def forget(self) -> None:
        """Remove the anchor for good; only when undoing a profile's creation."""
        self.retire()
        self._secrets.delete(self.name)


@dataclass(frozen=True)
class AnchorCheck:
    """How the store compares with the anchor.

    Attributes:
        state: "ok" (the store reaches and extends the anchor), "unanchored" (no anchor yet: an older profile),
            "rolled_back" (the store ends before it) or "replaced" (another event at the anchored sequence).
        message: the Dutch explanation for anything but ok/unanchored.
    """

    state: Literal["ok", "unanchored", "rolled_back", "replaced"]
    anchor: Anchor | None
    store_seq: int
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.state in ("ok", "unanchored")


def check(session: Session, anchor: Anchor | None) -> AnchorCheck:
    """Compare the store's chain with the anchor: two indexed reads, cheap enough for every open."""
    store_seq, _ = chain.tip(session)
    if anchor is None:
        return AnchorCheck("unanchored", None, store_seq)
    if store_seq < anchor.seq:
        return AnchorCheck("rolled_back", anchor, store_seq, ROLLED_BACK.format(
            store=store_seq, anchor=anchor.seq, missing=anchor.seq - store_seq))
    if chain.hash_at(session, anchor.seq) != anchor.hash:
        return AnchorCheck("replaced", anchor, store_seq, REPLACED.format(anchor=anchor.seq))
    return AnchorCheck("ok", anchor, store_seq)
