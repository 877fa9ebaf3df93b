"""Delivery by SMTP: a multipart/alternative message (plain text + HTML) sent over STARTTLS,
implicit TLS, or plain SMTP for a server on the same machine. The password comes from the
environment variable the config names, never from the file.
"""
import ipaddress
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Optional

from radar.errors import ConfigError, RadarError
from radar.settings import Digest as DigestSettings
from radar.settings import Settings

logger = logging.getLogger(__name__)
TIMEOUT = 60


class SendError(RadarError):
    """The SMTP server could not be reached or refused the message."""


def mail_enabled(settings: Settings) -> bool:
    return bool(settings.digest.smtp_host)


def check_mail_settings(settings: Settings) -> None:
    """Refuse an SMTP setup that cannot work, before the first weekly run finds out."""
    d = settings.digest
    if not d.smtp_host:
        return
    if not d.to:
        raise ConfigError("[digest] smtp_host is set but 'to' is empty; add your address: to = [\"you@example.com\"]")
    if d.smtp_user and not settings.secret(d.smtp_password_env):
        raise ConfigError(f"[digest] smtp_user is set but the environment variable {d.smtp_password_env} "
                          "holding the password is empty; export it before starting radar")
    if d.smtp_cafile and not Path(d.smtp_cafile).expanduser().is_file():
        raise ConfigError(f"[digest] smtp_cafile {d.smtp_cafile} is not a readable file; give the CA certificate's "
                          "path, or leave it empty to trust the system's certificates")
    if d.smtp_security == "none" and d.smtp_user and not _loopback(d.smtp_host):
        raise ConfigError(f"[digest] smtp_security = \"none\" would send the password for {d.smtp_user} in clear "
                          f"to {d.smtp_host}; use \"starttls\" or \"tls\" (\"none\" is for a server on this machine)")


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def build_message(subject: str, sender: str, to: list[str], text: str, html: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "radar.local")
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def _tls_context(d: DigestSettings) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=d.smtp_cafile or None)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def _connect(d: DigestSettings) -> smtplib.SMTP:
    if d.smtp_security == "tls":
        return smtplib.SMTP_SSL(d.smtp_host, d.smtp_port, timeout=TIMEOUT, context=_tls_context(d))
    smtp = smtplib.SMTP(d.smtp_host, d.smtp_port, timeout=TIMEOUT)
    if d.smtp_security == "starttls":
        smtp.starttls(context=_tls_context(d))
    return smtp


def send(settings: Settings, msg: EmailMessage, password: Optional[str] = None) -> None:
    """Send one message; any failure becomes one SendError line naming the server and cause."""
    d = settings.digest
    password = password if password is not None else settings.secret(d.smtp_password_env)
    where = f"{d.smtp_host}:{d.smtp_port} ({d.smtp_security})"
    try:
        with _connect(d) as smtp:
            if d.smtp_user:
                smtp.login(d.smtp_user, password or "")
            refused = smtp.send_message(msg)
    except smtplib.SMTPAuthenticationError as e:
        raise SendError(f"SMTP server {where} refused the login of '{d.smtp_user}' ({e.smtp_code}); "
                        f"check {d.smtp_password_env}") from None
    except smtplib.SMTPNotSupportedError as e:
        raise SendError(f"SMTP server {where} does not support {e}; "
                        "try smtp_security = \"tls\" or another port") from None
    except (TimeoutError, smtplib.SMTPException, ssl.SSLError, OSError) as e:
        raise SendError(f"cannot send the digest through {where}: {e}") from None
    if refused:
        logger.warning("SMTP server refused recipients: %s", ", ".join(refused))
