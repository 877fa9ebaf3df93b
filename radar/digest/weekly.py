"""The weekly digest job: render once per ISO week, keep it on disk, record it, send it.

Idempotent by ISO week (in the digest's timezone): a second run in the same week sends
nothing unless forced. The week's one row (unique per profile and week) is claimed before
the email goes out, so two processes at once send one email; a failed send keeps the
rendered files so the next run re-sends exactly what was rendered.
"""
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.clock import digest_today
from radar.digest.html import render_html
from radar.digest.mail import SendError, build_message, check_mail_settings, mail_enabled, send
from radar.digest.markdown import markdown_from_view
from radar.digest.text import render_text
from radar.digest.view import DigestView, build_view, iso_week
from radar.errors import RadarError
from radar.models import DigestRun
from radar.rank.score import Ranked
from radar.rank.world import top
from radar.settings import Settings

logger = logging.getLogger(__name__)
TITLE = "radar digest"
# A run claimed for sending longer ago than this lost its sender (killed mid-send): take it over.
CLAIM_STALE = timedelta(minutes=15)


@dataclass
class DigestOutcome:
    status: str  # sent, rendered, failed, skipped, busy (another process has it)
    iso_week: str
    path: Optional[Path]
    run_id: Optional[int]
    organizations: int = 0
    error: Optional[str] = None
    found: Optional[str] = None  # skipped: the status of the week's record (sent, or rendered with email off)


def digest_folder(settings: Settings) -> Path:
    return Path(settings.digest.out_dir).expanduser() if settings.digest.out_dir else settings.data_dir / "digests"


def _write(path: Path, text: str) -> None:
    """Replace the file atomically: a reader never sees half a digest."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise RadarError(
            f"cannot write the digest to {path}: {e.strerror or e}; "
            "choose a writable file with --out, or set [digest] out_dir"
        ) from None


def subject_for(week: str, count: int) -> str:
    return f"{TITLE} {week}: {count} organization{'s' if count != 1 else ''} likely to need you"


def _previous(engine: Engine, week: str, profile: str) -> tuple[Optional[str], list[str]]:
    """The profile's last digest of an earlier week: its week and organization names."""
    run = store.previous_digest(engine, week, profile)
    if run is None:
        return None, []
    return run.iso_week, [str(o.get("name")) for o in run.organizations if isinstance(o, dict) and o.get("name")]


def build_week(engine: Engine, settings: Settings, today: date) -> tuple[list[Ranked], DigestView]:
    ranked = top(engine, settings, today, limit=settings.digest.limit, complete=True)
    prev_week, prev_names = _previous(engine, iso_week(today), settings.profile_key)
    return ranked, build_view(ranked, today, prev_names, prev_week, settings.profile.name)


def render(view: DigestView, fmt: str) -> str:
    """One format of the digest: "md", "html" (for a browser), "email-html" or "text"."""
    if fmt == "md":
        return markdown_from_view(view, TITLE)
    if fmt == "text":
        return render_text(view, TITLE)
    return render_html(view, TITLE, email=(fmt == "email-html"))


def write_digest(engine: Engine, settings: Settings, out: Optional[Path] = None,
                 fmt: Optional[str] = None) -> tuple[list[Ranked], Path, str]:
    """Render this week's digest to a file (Markdown unless `fmt` or the suffix says HTML).

    Writes nothing to the database and sends nothing: `radar run`, the demo and
    `radar digest --out` use it.
    """
    today = digest_today(settings)
    ranked, view = build_week(engine, settings, today)
    if fmt is None:
        fmt = "html" if out is not None and out.suffix.lower() in (".html", ".htm") else "md"
    if out is None:
        out = digest_folder(settings) / f"digest-{view.iso_week}.{'html' if fmt == 'html' else 'md'}"
    text = render(view, fmt)
    _write(out, text)
    return ranked, out, text


def _run_values(view: DigestView, path: Path, settings: Settings) -> dict[str, Any]:
    return {"path": str(path), "recipients": ", ".join(settings.digest.to) or None,
            "organizations": [{"name": i.name, "score": i.score, "rank": i.rank} for i in view.items]}


def _deliver(engine: Engine, settings: Settings, run: DigestRun) -> DigestOutcome:
    """Send the files a run rendered; record the result either way. The caller holds the claim."""
    assert run.id is not None and run.path
    html_path = Path(run.path)
    count = len(run.organizations)
    try:
        html = html_path.read_text(encoding="utf-8")
        text = html_path.with_suffix(".txt").read_text(encoding="utf-8")
    except OSError as e:
        error = f"the rendered digest {html_path} is gone ({e.strerror}); run 'radar digest --force' to render it again"
        store.finish_digest(engine, run.id, False, error)
        return DigestOutcome("failed", run.iso_week, html_path, run.id, count, error)
    msg = build_message(subject_for(run.iso_week, count), settings.digest.sender, settings.digest.to, text, html)
    try:
        send(settings, msg)
    except SendError as e:
        logger.warning("digest %s not sent: %s", run.iso_week, e)
        store.finish_digest(engine, run.id, False, str(e))
        return DigestOutcome("failed", run.iso_week, html_path, run.id, count, str(e))
    store.finish_digest(engine, run.id, True, None)
    logger.info("digest %s sent to %s", run.iso_week, ", ".join(settings.digest.to))
    return DigestOutcome("sent", run.iso_week, html_path, run.id, count)


def _claim_and_deliver(engine: Engine, settings: Settings, run: DigestRun) -> DigestOutcome:
    assert run.id is not None
    if not store.claim_digest(engine, run.id, CLAIM_STALE):
        return _busy(run.iso_week, run.id)
    fresh = store.latest_digest(engine, run.iso_week, settings.profile_key)
    assert fresh is not None
    return _deliver(engine, settings, fresh)


def _busy(week: str, run_id: Optional[int]) -> DigestOutcome:
    return DigestOutcome("busy", week, None, run_id, error="another radar process is producing or sending it")



def run_weekly(engine: Engine, settings: Settings, force: bool = False,
               now: Optional[datetime] = None) -> DigestOutcome:
    """This week's digest: rendered and sent once; re-sent if the last send failed.

    The week's one row is claimed before the email goes out, so any number of processes
    running this at once send one email (the others report "busy")."""
    check_mail_settings(settings)
    today = digest_today(settings, now)
    week = iso_week(today)
    existing = store.latest_digest(engine, week, settings.profile_key)
    if existing is not None and not force:
        if existing.status != "sent" and mail_enabled(settings):
            return _claim_and_deliver(engine, settings, existing)
        return DigestOutcome("skipped", week, Path(existing.path) if existing.path else None, existing.id,
                             len(existing.organizations), existing.error, found=existing.status)
    ranked, view = build_week(engine, settings, today)
    folder = digest_folder(settings)
    html_path = folder / f"digest-{week}.html"
    _write(html_path, render(view, "email-html"))
    _write(html_path.with_suffix(".txt"), render(view, "text"))
    _write(html_path.with_suffix(".md"), render(view, "md"))
    status = "sending" if mail_enabled(settings) else "rendered"
    values = _run_values(view, html_path, settings)
    if existing is None:
        run_id = store.insert_digest(engine, settings.profile_key, week, values, status)
    else:
        assert existing.id is not None
        claimed = store.claim_digest(engine, existing.id, CLAIM_STALE, status, force=True,
                         values={**values, "created_at": datetime.now(UTC), "error": None})
        run_id = existing.id if claimed else None
    if run_id is None:
        return _busy(week, existing.id if existing else None)
    if not mail_enabled(settings):
        return DigestOutcome("rendered", week, html_path, run_id, len(ranked))
    run = store.latest_digest(engine, week, settings.profile_key)
    assert run is not None and run.id == run_id
    return _deliver(engine, settings, run)


def deliver_pending(engine: Engine, settings: Settings, now: Optional[datetime] = None) -> Optional[DigestOutcome]:
    """Retry this week's digest if rendering succeeded but sending did not."""
    if not mail_enabled(settings):
        return None
    run = store.latest_digest(engine, iso_week(digest_today(settings, now)), settings.profile_key)
    if run is None or run.status == "sent":
        return None
    return _claim_and_deliver(engine, settings, run)
