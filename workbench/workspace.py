"""The Workspace facade: creates or unlocks a profile, opens the store and owns the services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from workbench.audit.anchor import AnchorKeeper, StoreTampered, check
from workbench.audit.chain import AuditEntry
from workbench.audit.journal import anchor_of
from workbench.audit.service import AuditService
from workbench.bookkeeping import open_store
from workbench.cases.service import CaseService
from workbench.changes import Changes
from workbench.clock import Clock, SystemClock
from workbench.errors import StoreUnavailable, UserError, VaultUnavailable
from workbench.letters.service import LetterInfo
from workbench.parties.service import ParentService
from workbench.profile import (
    DEMO_KEYRING_FILE,
    STORE_FILE,
    Descriptor,
    create_private_file,
    make_private,
    read_descriptor,
    store_files,
    write_descriptor,
)
from workbench.search.service import SearchService
from workbench.secrets import FileSecrets, KeyringSecrets, SecretStore
from workbench.staff.models import Role, Team, User
from workbench.store import rekey
from workbench.store.engine import open_engine
from workbench.store.hooks import Origin
from workbench.store.migrations import current_revision, upgrade_to_head
from workbench.store.unit_of_work import Actor, Store, UnitOfWork, damage_error
from workbench.story.service import StoryService
from workbench.vault import KdfParams, Vault

T = TypeVar("T")
__all__ = ["DEMO_BANNER", "UnitOfWork", "Workspace"]
DEMO_BANNER = "DEMO — niet voor echte gegevens"
ERASED = "Dit profiel is van dit apparaat gewist; er is niets meer te openen."


def _secrets_for(folder: Path, desc: Descriptor, secrets: SecretStore | None) -> SecretStore:
    if secrets is not None:
        return secrets
    if desc.demo:
        return FileSecrets(folder / DEMO_KEYRING_FILE)
    return KeyringSecrets()


class Workspace:
    """One unlocked profile. Build it with `create` or `open`; close it with `close`.

    Attributes:
        folder: the profile folder.
        descriptor: ids and the demo flag.
        demo: True for demo profiles (show the banner).
    """

    def __init__(self, folder: Path, descriptor: Descriptor, store: Store, vault: Vault) -> None:
        self.folder = folder
        self.descriptor = descriptor
        self.demo = descriptor.demo
        self.vault = vault
        self._store = store
        self.actor = Actor(descriptor.user_id, descriptor.device_id)
        self.erased = False
        self.parents = ParentService()
        self.cases = CaseService()
        self.story = StoryService()
        self.search = SearchService()
        self.audit = AuditService()
        self._register_late_services()

    def _register_late_services(self) -> None:
        # Imported here: these services import each other's service modules, not the workspace.
        from workbench.caseload.service import CaseloadService
        from workbench.consent.service import ConsentService
        from workbench.drafts.service import EditorDraftService
        from workbench.letters.service import LetterService
        from workbench.payments.service import PaymentService
        from workbench.plans.service import PlanService
        from workbench.sync.conflicts import ConflictService
        from workbench.sync.status import SyncStatusService
        from workbench.visits.service import VisitService

        self.plans = PlanService()
        self.consent = ConsentService()
        self.visits = VisitService(self.story, self.plans)
        self.sync_status = SyncStatusService()
        self.conflicts = ConflictService()
        self.caseload = CaseloadService()
        self.letters = LetterService()
        self.payments = PaymentService()
        self.drafts = EditorDraftService()

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path, passphrase: str, *, demo: bool = False, secrets: SecretStore | None = None,
               kdf: KdfParams | None = None, clock: Clock | None = None, username: str = "pzb",
               display_name: str = "Pzb'er") -> Workspace:
        """Make a new profile: key in the keyring, empty encrypted store, the local user."""
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if any(p.exists() for p in store_files(folder)) or (folder / "profile.json").exists():
            raise UserError(f"In {folder} staat al een profiel; er is niets veranderd.")
        make_private(folder)
        desc = Descriptor.new(demo=demo)
        vault = Vault(_secrets_for(folder, desc, secrets), desc.profile_id, kdf or KdfParams(),
                      persist_failures=not demo)
        key = vault.create(passphrase)
        keeper = AnchorKeeper(vault.secrets, desc.profile_id)
        try:
            create_private_file(folder / STORE_FILE)
            engine = open_engine(folder / STORE_FILE, key)
            upgrade_to_head(engine)
            store = open_store(engine, clock or SystemClock(), keeper)
            ws = cls(folder, desc, store, vault)
            with ws.unit_of_work() as uow:
                team = Team(name="Eigen team")
                uow.session.add(team)
                uow.session.flush()
                uow.session.add(User(id=desc.user_id, username=username, display_name=display_name,
                                     role=Role.HANDLER, team_id=team.id))
                uow.audit(AuditEntry("create", "profile", desc.profile_id))
            write_descriptor(folder, desc)
        except BaseException:
            with suppress(VaultUnavailable):
                keeper.forget()
            vault.destroy()
            for path in store_files(folder):
                path.unlink(missing_ok=True)
            raise
        return ws

    @classmethod
    def open(cls, folder: Path, passphrase: str, *, secrets: SecretStore | None = None,
             clock: Clock | None = None, kdf: KdfParams | None = None) -> Workspace:
        """Unlock with device (keyring) and person (passphrase); a wrong passphrase writes nothing."""
        make_private(folder)
        desc = read_descriptor(folder)
        path = folder / STORE_FILE
        if not path.exists():
            raise StoreUnavailable(f"De gegevensopslag ontbreekt in {folder}.")
        if path.stat().st_size == 0:
            raise StoreUnavailable("De gegevensopslag is leeg of afgekapt; er is niets geopend.")
        vault = Vault(_secrets_for(folder, desc, secrets), desc.profile_id, kdf or KdfParams(),
                      persist_failures=not desc.demo)
        key = rekey.recover_interrupted_rekey(path, vault, passphrase)
        engine = open_engine(path, key)
        try:
            # An existing profile whose store has no schema was emptied or replaced: never start afresh.
            if current_revision(engine) is None:
                raise StoreUnavailable("De gegevensopslag is leeg of afgekapt; er is niets geopend.")
            upgrade_to_head(engine)
        except (DBAPIError, MemoryError) as exc:
            error = damage_error(exc, engine)
            engine.dispose()
            raise error from None
        except BaseException:
            engine.dispose()
            raise
        keeper = AnchorKeeper(vault.secrets, desc.profile_id)
        store = open_store(engine, clock or SystemClock(), keeper)
        check_anchor(store, keeper, Actor(desc.user_id, desc.device_id))
        ws = cls(folder, desc, store, vault)
        with ws.unit_of_work() as uow:
            uow.audit(AuditEntry("unlock", "profile", desc.profile_id))
        return ws

    # -- working -------------------------------------------------------------------------------

    @contextmanager
    def unit_of_work(self, origin: Origin = Origin.LOCAL) -> Iterator[UnitOfWork]:
        """One unit of work as this profile's user; `origin` says whose writes it holds (default: the user's)."""
        if self.erased:
            raise UserError(ERASED)
        with self._store.unit_of_work(self.actor, origin) as uow:
            yield uow

    def run(self, action: Callable[[UnitOfWork], T]) -> tuple[T, Changes]:
        """Run one user action in its own unit of work; returns its result and what it touched."""
        with self.unit_of_work() as uow:
            result = action(uow)
        return result, uow.changes

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under a new passphrase; the store file is not touched."""
        self.vault.change_passphrase(old, new)
        with self.unit_of_work() as uow:
            uow.audit(AuditEntry("passwd", "profile", self.descriptor.profile_id))

    def rekey(self, passphrase: str) -> None:
        """Re-encrypt the store under a fresh key; a crash leaves it openable with the old or new key."""
        with self.unit_of_work() as uow:
            uow.audit(AuditEntry("rekey", "profile", self.descriptor.profile_id))
        clock, keeper = self._store.clock, anchor_of(self._store)
        self._store.close()
        path = self.folder / STORE_FILE
        try:
            new_key = rekey.rekey_with_vault(path, vault=self.vault, passphrase=passphrase)
        except BaseException:
            # Whatever happened, the store opens with one of the keys the vault holds: reopen it.
            new_key = rekey.recover_interrupted_rekey(path, self.vault, passphrase)
            self._store = open_store(open_engine(path, new_key), clock, keeper)
            raise
        self._store = open_store(open_engine(path, new_key), clock, keeper)

    def confirm_passphrase(self, passphrase: str) -> None:
        """Ask the person again (approving and issuing decisions): a wrong passphrase raises, throttled."""
        self.vault.unlock(passphrase)

    def approve_letter(self, uow: UnitOfWork, passphrase: str, letter_id: str) -> LetterInfo:
        """Four eyes: the reviewer confirms with their passphrase, then approves as themselves.

        It runs in the caller's unit of work (never one of its own), so what it touched is in `uow.changes`.
        """
        self.confirm_passphrase(passphrase)
        return self.letters.approve(uow, letter_id, reviewer_id=self.actor.user_id)

    def issue_letter(self, uow: UnitOfWork, passphrase: str, letter_id: str) -> LetterInfo:
        """Render, store and seal an approved letter, after the passphrase is given again (in the caller's unit
        of work, as `approve_letter`)."""
        self.confirm_passphrase(passphrase)
        return self.letters.issue(uow, letter_id)

    def adopt_identity(self, descriptor: Descriptor) -> None:
        """After enrollment the local user is the central user: act as them from now on."""
        self.descriptor = descriptor
        self.actor = Actor(descriptor.user_id, descriptor.device_id)

    @property
    def secrets(self) -> SecretStore:
        """Where this profile's secrets live (the OS keyring; a file for demo profiles)."""
        return self.vault.secrets

    @property
    def store(self) -> Store:
        return self._store

    def erase(self, eraser: Callable[[Callable[[], None]], T]) -> T:
        """Mark the workspace erased (nothing opens the store again) and let ``eraser`` remove it, handing it
        the function that closes the store (workbench.erasure)."""
        self.erased = True
        keeper = anchor_of(self._store)
        if keeper is not None:
            keeper.retire()  # its entry is deleted by the eraser, after the data key
        return eraser(self._store.close)

    def close(self) -> None:
        """Lock: log it, drop every connection (the key leaves SQLCipher's memory with them)."""
        if self.erased:
            return
        try:
            with self.unit_of_work() as uow:
                uow.audit(AuditEntry("lock", "profile", self.descriptor.profile_id))
        finally:
            self._store.close()


def check_anchor(store: Store, keeper: AnchorKeeper, actor: Actor) -> None:
    """Refuse to open a store that is behind its anchor or does not match it; nothing is written then.

    The store is not opened read-only either: every view is audited, so reading would write. Leaving it
    untouched keeps the evidence for the servicedesk (see DESIGN.md, "Tamper-evident store").
    """
    try:
        with store.unit_of_work(actor) as uow:
            verdict = check(uow.session, keeper.read())
    except BaseException:
        store.close()
        raise
    if not verdict.ok:
        store.close()
        raise StoreTampered(verdict.message)
