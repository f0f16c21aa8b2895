"""A device's standing with central: renewing its token at sync, and erasing itself once central revoked it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from workbench.errors import UserError, VaultUnavailable
from workbench.store.hooks import Origin
from workbench.sync import state
from workbench.sync.transport import DeviceRevoked, Transport

if TYPE_CHECKING:
    from workbench.workspace import Workspace

log = logging.getLogger(__name__)

RENEW_AFTER = "token_renew_after"
ERASED = ("{reason} Daarom zijn de gegevens van dit profiel, de sleutel en de items in de sleutelbos van dit "
          "apparaat gewist. Neem contact op met uw teamleider of de servicedesk.")
ERASED_PARTLY = (" Niet alles kon worden gewist; laat de servicedesk dit verwijderen: {left}.")


class DeviceErased(UserError):
    """Central revoked this device and the device erased its profile; the message says why.

    Attributes:
        complete: whether every key, keyring entry and file is gone.
    """

    def __init__(self, message: str, *, complete: bool) -> None:
        super().__init__(message)
        self.complete = complete


@contextmanager
def erase_when_revoked(ws: Workspace) -> Iterator[None]:
    """Run a talk with central; when central says the device is revoked, erase the profile and say why."""
    try:
        yield
    except DeviceRevoked as revoked:
        from workbench.erasure import erase_workspace

        log.warning("central revoked this device; erasing the profile")
        erasure = erase_workspace(ws)
        message = ERASED.format(reason=revoked.reason.rstrip(".") + ".")
        if not erasure.complete:
            message += ERASED_PARTLY.format(left=", ".join(erasure.left))
        raise DeviceErased(message, complete=erasure.complete) from None


def renew_token(ws: Workspace, transport: Transport, *, now: dt.datetime | None = None) -> bool:
    """Rotate the device token when central's renew moment has passed (or was never heard); True when renewed.

    The new token goes to the keyring before it is used. Were the answer lost or the keyring write to fail,
    the old token still works: central accepts it until the new one is first used.
    """
    from workbench.sync.client import token_name

    moment = now or dt.datetime.now(dt.UTC)
    with ws.unit_of_work() as uow:
        due = state.get(uow.session, RENEW_AFTER)
    if due is not None and moment < dt.datetime.fromisoformat(due):
        return False
    rotation = transport.rotate_token()
    try:
        ws.secrets.set(token_name(ws.descriptor.profile_id), rotation.device_token)
    except VaultUnavailable:
        log.warning("renewed device token not stored (keyring unavailable); the old one stays in use")
        return False
    transport.use_token(rotation.device_token)
    with ws.unit_of_work(Origin.SYNC) as uow:  # sync bookkeeping, not a change to share
        state.put(uow.session, RENEW_AFTER, rotation.renew_after.isoformat())
    return True

