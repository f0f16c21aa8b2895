"""Errors central turns into a clear answer: a Dutch HTTP error for clients, one line for operators."""

from __future__ import annotations

# A request about a device other than the one whose token it carries (the device_id in its body).
OTHER_DEVICE = "Deze apparaatsleutel hoort bij een ander apparaat (device_id)."


class SetupError(Exception):
    """The operator's input or environment is wrong (bad URL, newer schema, unknown user); shown as is."""


class ApiError(Exception):
    """A request central refuses, with its HTTP status and a Dutch explanation.

    Attributes:
        status: the HTTP status code.
        detail: the Dutch message for the person behind the client.
        code: a machine-readable reason the client acts on (workbench.sync.protocol.DEVICE_REVOKED), or None.
    """

    def __init__(self, status: int, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
