"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the delivery tests: plain, STARTTLS or
implicit TLS, with optional AUTH, keeping every received message."""
import datetime
import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Optional

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[Optional[str], list[str]]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert envelope.original_content is not None
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(msg)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made for this test run."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server(mode: str = "none", cert: Optional[tuple[Path, Path]] = None,
                password: Optional[str] = None, port: Optional[int] = None) -> Iterator[tuple[Inbox, int]]:
    """mode: none, starttls or tls. With a password, AUTH is required (user 'radar')."""
    inbox = Inbox()
    ctx = None
    if cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(cert[0]), str(cert[1]))

    def authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"radar"
              and auth_data.password == (password or "").encode())
        if ok:
            inbox.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd then answers 535 itself

    kwargs: dict[str, Any] = {"hostname": "127.0.0.1", "port": port or free_port()}
    if mode == "tls":
        kwargs["ssl_context"] = ctx
    elif mode == "starttls":
        kwargs.update(tls_context=ctx, require_starttls=True)
    if password is not None:
        # aiosmtpd knows about TLS only when it came by STARTTLS (with implicit TLS it warns
        # on every connection that AUTH is allowed without TLS: the test filters that). Its AUTH LOGIN ignores the
        # initial response smtplib sends and then both sides wait: offer PLAIN only.
        kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=mode == "starttls",
                      auth_exclude_mechanism=["LOGIN"])
    controller = Controller(inbox, **kwargs)
    controller.start()
    try:
        yield inbox, kwargs["port"]
    finally:
        controller.stop()
