"""The suite's Secret Service keeps off the user's own keyring: its data lives in a temporary folder, not the home."""

from __future__ import annotations

import os
import pwd
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.SecretService
import pytest

pytestmark = [
    pytest.mark.secret_service,
    pytest.mark.skipif(os.environ.get("WORKBENCH_TEST_SECRET_SERVICE") != "1",
                       reason="needs a real Secret Service; set WORKBENCH_TEST_SECRET_SERVICE=1"),
]

SERVICE = "zaakwerkbank-test-isolation"


def _secret_service_pid() -> int:
    """The process that owns org.freedesktop.secrets on this session bus (the suite's gnome-keyring)."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus")
    with open_dbus_connection(bus="SESSION") as conn:
        reply = conn.send_and_get_reply(new_method_call(bus, "GetConnectionUnixProcessID", "s",
                                                        ("org.freedesktop.secrets",)))
    return int(reply.body[0])


def _environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.decode("utf-8", "replace").partition("=") for item in raw.split(b"\0") if item)
    return {name: value for name, _, value in pairs}


def keyring_folder(env: dict[str, str]) -> Path:
    """Where gnome-keyring keeps its keyring files for a daemon started with this environment."""
    data_home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "/")) / ".local" / "share")
    return Path(data_home) / "keyrings"


def real_home() -> Path:
    """The user's home from the password database (HOME itself may have been changed)."""
    return Path(pwd.getpwuid(os.getuid()).pw_dir).resolve()


@pytest.fixture
def real_keyring() -> Iterator[None]:
    saved = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.SecretService.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(saved)


def test_the_keyring_folder_follows_xdg_data_home_else_the_home() -> None:
    assert keyring_folder({"XDG_DATA_HOME": "/tmp/x", "HOME": "/home/a"}) == Path("/tmp/x/keyrings")
    assert keyring_folder({"HOME": "/home/a"}) == Path("/home/a/.local/share/keyrings")


@pytest.mark.usefixtures("real_keyring")
def test_the_suites_keyring_lives_in_a_private_folder_not_under_the_real_home() -> None:
    env = _environment(_secret_service_pid())
    folder = keyring_folder(env).resolve()
    home = real_home()
    assert not folder.is_relative_to(home), (
        f"the test keyring daemon keeps its keyrings under the real home ({folder}); start it with a private "
        "XDG_DATA_HOME as `make test` does")
    # The private folder is the one really in use: a secret stored now lands in a keyring file there.
    name = f"isolation-{uuid.uuid4()}"
    keyring.set_password(SERVICE, name, "synthetisch")
    try:
        assert keyring.get_password(SERVICE, name) == "synthetisch"
        assert any(folder.glob("*.keyring")), f"no keyring file in {folder}"
    finally:
        keyring.delete_password(SERVICE, name)
