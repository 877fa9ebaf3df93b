"""HubSpot import files: companies, contacts and notes CSVs with HubSpot's import column names.

HubSpot requires "Company domain name" for companies, "First name", "Last name" and
"Email" for contacts, and "Activity date" and "Note body" for notes, which must be
associated with a record (here: the company, by its domain). Domain and email are
HubSpot's unique identifiers, so a re-import updates rather than duplicates. A company whose
domain radar does not know still goes out, by name, in a file of its own whose description
says so (HubSpot cannot match it on a later import: import that file once, or add the domain
with `radar orgs set`); its notes, which HubSpot could not attach, and people without an email
are left out and counted. HubSpot cannot update notes by import: the notes file of an
incremental export holds only signals never sent before.
"""
from pathlib import Path
from typing import Any

from radar.export.files import write_csv_files
from radar.export.records import ExportSet, Item, OrgRecord, PersonRecord, SignalRecord, item

COMPANY_COLUMNS = ["Company domain name", "Company name", "City", "Description"]
CONTACT_COLUMNS = ["Email", "First name", "Last name", "Job title", "Company name", "Company domain name"]
NOTE_COLUMNS = ["Activity date", "Note body", "Company domain name"]
BY_NAME = "companies without a domain"  # the item kind, as the command counts what it sent
FILES = {"companies": "hubspot-companies.csv", BY_NAME: "hubspot-companies-without-domain.csv",
         "contacts": "hubspot-contacts.csv", "notes": "hubspot-notes.csv"}
NO_DOMAIN = "no domain known, so HubSpot cannot match this company again: import it once, or add its domain " \
            "(radar orgs set NAME domain=...)"


def company_row(o: OrgRecord) -> dict[str, Any]:
    # No score here: it decays daily, and a changed row is re-sent by --since-last.
    marked = "" if o.domain else f" ({NO_DOMAIN})"
    return {"Company domain name": o.domain or "", "Company name": o.name, "City": o.location or "",
            "Description": f"radar{marked}: {o.why_now}"}


def contact_row(p: PersonRecord) -> dict[str, Any]:
    return {"Email": p.email, "First name": p.first_name, "Last name": p.last_name, "Job title": p.title or "",
            "Company name": p.org_name, "Company domain name": p.org_domain or ""}


def note_row(s: SignalRecord, domain: str) -> dict[str, Any]:
    return {"Activity date": s.date.isoformat(), "Note body": s.note, "Company domain name": domain}


def build(data: ExportSet) -> tuple[list[Item], dict[str, int]]:
    """Items for the three files, and the records HubSpot could not key (by reason)."""
    items: list[Item] = []
    skipped = {"notes of companies without a domain": 0, "people without an email": 0}
    for o in data.orgs:
        if not o.domain:
            items.append(item(o.key, BY_NAME, company_row(o)))
            skipped["notes of companies without a domain"] += len(o.signals)
            continue
        items.append(item(o.key, "companies", company_row(o)))
        items.extend(item(s.key, "notes", note_row(s, o.domain), once=True) for s in o.signals)
    for p in data.people:
        if not p.email:
            skipped["people without an email"] += 1
            continue
        items.append(item(p.key, "contacts", contact_row(p)))
    return items, skipped


def write(items: list[Item], folder: Path) -> list[Path]:
    """Write the non-empty files into `folder`; returns the paths written."""
    layout = [(k, cols, FILES[k]) for k, cols in (("companies", COMPANY_COLUMNS), (BY_NAME, COMPANY_COLUMNS),
                                                  ("contacts", CONTACT_COLUMNS), ("notes", NOTE_COLUMNS))]
    return write_csv_files(items, folder, layout)
