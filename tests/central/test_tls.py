"""central serves HTTPS when given a certificate; clients verify it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.helpers.central import CentralServer, DeviceSession


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "central.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "central.pem", directory / "central.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[CentralServer]:
    cert, key = _self_signed(tmp_path)
    server = CentralServer(tmp_path / "central", cert=cert, key=key).start()
    try:
        yield server
    finally:
        server.close()


def test_https_with_a_verified_certificate(tls_server: CentralServer) -> None:
    assert tls_server.url.startswith("https://127.0.0.1:")
    tls_server.add_user("tessa", role="handler", team="Team TLS")
    device = DeviceSession(tls_server, "tessa")
    try:
        assert device.http.get("/v1/sync/summary").status_code == 200
    finally:
        device.close()


def test_an_unverified_certificate_is_refused_and_plain_http_does_not_work(tls_server: CentralServer) -> None:
    with pytest.raises(httpx.ConnectError) as caught:
        httpx.get(f"{tls_server.url}/v1/health", verify=ssl.create_default_context(), timeout=5)
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    with pytest.raises(httpx.HTTPError):
        httpx.get(tls_server.url.replace("https://", "http://") + "/v1/health", timeout=5)
