"""Importing the user's contacts (friends refer friends): LinkedIn's Connections.csv, vCard 3.0 and
4.0 files, and plain CSV, each contact linked to an organization with the entity resolver.

A file is parsed whole before anything is written, then stored in one transaction: a bad file
changes nothing, and importing the same file again changes nothing either (stable keys).
"""
import csv
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.entities.normalize import normalize_name
from radar.errors import UsageError
from radar.models import Contact
from radar.text import one_line

logger = logging.getLogger(__name__)

MAX_FIELD = 200
MAX_BYTES = 50_000_000
LINKEDIN_HEADER = ["first name", "last name", "url", "email address", "company", "position", "connected on"]
# Plain CSV header names we accept, per field (compared lowercased, without spaces, _ or -).
COLUMNS = {
    "full_name": ("name", "fullname", "displayname", "contact", "contactname"),
    "first_name": ("firstname", "givenname", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "email": ("email", "emailaddress", "e-mail", "mail", "workemail"),
    "company": ("company", "organization", "organisation", "employer", "companyname", "org"),
    "position": ("position", "title", "jobtitle", "role"),
    "url": ("url", "linkedin", "linkedinurl", "profile", "profileurl", "website"),
    "connected_on": ("connectedon", "connected", "since"),
}
# Not employers: a contact "at" these is no path into any organization.
NO_EMPLOYER = {"self employed", "self-employed", "freelance", "freelancer", "independent", "independent consultant",
               "retired", "stealth", "stealth startup", "stealth mode", "student", "unemployed", "n a", "na", "none",
               "confidential", "various", "open to work"}


@dataclass
class ContactRecord:
    full_name: str
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    email: Optional[str] = None
    url: Optional[str] = None
    company: Optional[str] = None
    position: Optional[str] = None
    connected_on: Optional[date] = None
    origin: str = "csv"

    @property
    def key(self) -> str:
        """Stable identity: profile URL, else email, else name and company."""
        if self.url:
            return "url:" + re.sub(r"^(https?://)?(www\.)?", "", self.url.lower()).split("?")[0].rstrip("/")
        if self.email:
            return "email:" + self.email.lower()
        return f"name:{normalize_name(self.full_name)}|{normalize_name(self.company or '')}"


@dataclass
class ImportSummary:
    format: str
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    linked: int = 0


def _field(value: Any) -> Optional[str]:
    """A stored field: one line, no control characters, bounded length; empty becomes None."""
    if value is None:
        return None
    return one_line(value)[:MAX_FIELD] or None


def _date(value: Optional[str]) -> Optional[date]:
    for fmt in ("%d %b %Y", "%Y-%m-%d", "%d %B %Y", "%m/%d/%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime((value or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


def _record(origin: str, first: Any = None, last: Any = None, full: Any = None,
            **fields: Any) -> Optional[ContactRecord]:
    first, last = _field(first), _field(last)
    name = _field(full) or _field(" ".join(x for x in (first, last) if x))
    if not name:
        return None
    email = _field(fields.get("email"))
    if email and "@" not in email:
        email = None
    url = _field(fields.get("url"))
    if url and not re.match(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$", url, re.I):
        url = None
    return ContactRecord(name, first, last, email, url, _field(fields.get("company")), _field(fields.get("position")),
                         _date(fields.get("connected_on")), origin)


# ---- reading files --------------------------------------------------------------------------

def read_text(path: Path) -> str:
    """The file as text; refuses binaries and huge files with one line naming the problem."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path} is larger than {MAX_BYTES // 1_000_000} MB; is it really a contacts export?")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist; "
                         "give the path of Connections.csv, a .vcf file or a CSV file") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder; give the path of Connections.csv, a .vcf file or a CSV file") from None
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None
    if b"\x00" in data[:4096]:
        raise UsageError(f"{path} is not a text file; export your contacts as CSV or vCard (.vcf)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_format(text: str) -> str:
    """'vcard', 'linkedin' or 'csv'."""
    if text.lstrip().upper().startswith("BEGIN:VCARD"):
        return "vcard"
    for line in text.splitlines()[:30]:
        cells = [c.strip().strip('"').lower() for c in line.split(",")]
        if cells[:3] == LINKEDIN_HEADER[:3]:
            return "linkedin"
    return "csv"


def parse_linkedin(text: str) -> list[ContactRecord]:
    """LinkedIn's Connections.csv: a few lines of notes, then the header row and the rows."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines)
                 if [c.strip().strip('"').lower() for c in line.split(",")][:3] == LINKEDIN_HEADER[:3])
    reader = csv.DictReader(io.StringIO("".join(lines[start:])))
    out = []
    for row in reader:
        row = {(k or "").strip().lower(): v for k, v in row.items()}
        rec = _record("linkedin", row.get("first name"), row.get("last name"), email=row.get("email address"),
                      url=row.get("url"), company=row.get("company"), position=row.get("position"),
                      connected_on=row.get("connected on"))
        out.append(rec)
    return [r for r in out if r]


def _column_map(header: list[str]) -> dict[str, str]:
    found = {}
    for raw in header:
        norm = re.sub(r"[\s_\-]+", "", (raw or "").strip().lower())
        for field, names in COLUMNS.items():
            if norm in {re.sub(r"[\s_\-]+", "", n) for n in names} and field not in found:
                found[field] = raw
    return found


def parse_csv(text: str, path: Path) -> list[ContactRecord]:
    """A plain CSV with a header naming at least a name column (see COLUMNS)."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    cols = _column_map(list(reader.fieldnames or []))
    if "full_name" not in cols and "first_name" not in cols:
        raise UsageError(f"{path}: no name column in the header ({', '.join(reader.fieldnames or []) or 'empty'}); "
                         "a plain CSV needs 'name' (or 'first name' and 'last name') and ideally 'company', "
                         "'position', 'email'")
    out = []
    for row in reader:
        get = {field: row.get(col) for field, col in cols.items()}
        out.append(_record("csv", get.get("first_name"), get.get("last_name"), get.get("full_name"),
                           **{k: v for k, v in get.items() if k not in ("first_name", "last_name", "full_name")}))
    return [r for r in out if r]


def _vcard_value(card: Any, name: str) -> Any:
    items = card.contents.get(name)
    return items[0].value if items else None


def parse_vcard(text: str, path: Path) -> list[ContactRecord]:
    """vCard 3.0 and 4.0 (vobject parses both; ORG's first component is the company)."""
    import vobject

    out = []
    try:
        for card in vobject.readComponents(text, ignoreUnreadable=True):
            if card.name.upper() != "VCARD":
                continue
            n = _vcard_value(card, "n")
            org = _vcard_value(card, "org")
            company = org[0] if isinstance(org, list) and org else org
            out.append(_record("vcard", getattr(n, "given", None) or None, getattr(n, "family", None) or None,
                               _vcard_value(card, "fn"), email=_vcard_value(card, "email"),
                               url=_vcard_value(card, "url"), company=company, position=_vcard_value(card, "title")))
    except Exception as e:  # noqa: BLE001 - vobject raises several unrelated types on bad input
        line = getattr(e, "lineNumber", None)
        where = f" near line {line}" if line else ""
        raise UsageError(f"{path}: not a readable vCard file{where} "
                         f"({str(e).splitlines()[0][:120] if str(e) else type(e).__name__})") from None
    return [r for r in out if r]


def parse_contacts(path: Path) -> tuple[str, list[ContactRecord], int]:
    """(format, unique records, rows skipped) of a contacts file."""
    text = read_text(path)
    fmt = detect_format(text)
    try:
        records = (parse_vcard(text, path) if fmt == "vcard" else parse_linkedin(text) if fmt == "linkedin"
                   else parse_csv(text, path))
    except csv.Error as e:
        raise UsageError(f"{path}: not a readable CSV file ({e})") from None
    unique: dict[str, ContactRecord] = {}
    for r in records:
        unique.setdefault(r.key, r)
    return fmt, list(unique.values()), len(records) - len(unique)


# ---- storing --------------------------------------------------------------------------------

def employer(company: Optional[str]) -> Optional[str]:
    """The company as an organization name, or None when it names no employer."""
    if not company or normalize_name(company) in NO_EMPLOYER or len(normalize_name(company)) < 2:
        return None
    return company


FIELDS = ("first_name", "last_name", "full_name", "email", "url", "company", "position", "connected_on",
          "organization_id")


def store_contacts(engine: Engine, records: Iterable[ContactRecord], summary: ImportSummary,
                   profile: str = store.DEFAULT_PROFILE) -> ImportSummary:
    """Insert new contacts of the profile (Settings.profile_key), update changed ones, leave
    identical ones untouched; one transaction."""
    from radar.entities.resolve import Resolver

    # One transaction: the organizations the resolver creates for employers and the contacts
    # linked to them are stored together or not at all.
    with store.transaction(engine) as s:
        resolver = Resolver(s)
        existing = store.contacts_by_key(s, profile)
        changed = []
        for rec in records:
            name = employer(rec.company)
            org_id = resolver.resolve(name).id if name else None
            values = {**{k: v for k, v in asdict(rec).items() if k in FIELDS}, "organization_id": org_id}
            row = existing.get(rec.key)
            if row is None:
                row = Contact(key=rec.key, profile=profile, origin=rec.origin, **values)
                existing[rec.key] = row
                summary.new += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                summary.updated += 1
            else:
                summary.unchanged += 1
                continue
            summary.linked += org_id is not None
            changed.append(row)
        store.save_contacts(s, changed)
    return summary


def import_contacts(engine: Engine, path: Path, profile: str = store.DEFAULT_PROFILE) -> ImportSummary:
    """Read a contacts file and store its contacts as the profile's (Settings.profile_key),
    linked to organizations."""
    fmt, records, duplicates = parse_contacts(path)
    summary = ImportSummary(fmt, read=len(records) + duplicates, skipped=duplicates)
    return store_contacts(engine, records, summary, profile)


def list_contacts(engine: Engine, profile: str = store.DEFAULT_PROFILE) -> list[dict[str, Any]]:
    """The profile's stored contacts with the organization each is linked to."""
    return [{"name": c.full_name, "company": c.company, "position": c.position, "email": c.email, "url": c.url,
             "organization": org, "origin": c.origin, "connected_on": c.connected_on}
            for c, org in store.contacts_with_organizations(engine, profile)]
