"""`radar contacts import`: LinkedIn's Connections.csv, vCard 3.0/4.0 and plain CSV, idempotent."""
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.contacts import import_contacts, parse_contacts
from radar.errors import UsageError
from radar.models import Contact, OrgAlias, Organization

LINKEDIN = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Priya,Raman,https://www.linkedin.com/in/priya-raman-0a1b2c,,Tallyforge Payments,Staff Engineer,12 Nov 2023
Tom,Okoye,https://www.linkedin.com/in/tomokoye,tom@saltmarsh.example,"Saltmarsh Growth",Partner,03 Jan 2021
Ana,Ruiz,https://www.linkedin.com/in/anaruiz,,Self-employed,Consultant,01 Feb 2022
"=HYPERLINK(""http://evil.example"")",Mallory,https://www.linkedin.com/in/mallory,,"=cmd|' /C calc'!A0",CEO,01 Feb 2022
"""  # noqa: E501 - LinkedIn's own notes line, verbatim

VCARD3 = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Fischer;Lena;;;\r\nFN:Lena Fischer\r\nORG:Shieldwarden;Sales\r\n"
          "TITLE:Account Executive\r\nEMAIL;TYPE=INTERNET,WORK:lena@shieldwarden.example\r\nEND:VCARD\r\n")
VCARD4 = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ade Balogun\r\nN:Balogun;Ade;;;\r\nORG:Gridloom\r\n"
          "TITLE:Field Operations\r\n  Manager\r\n"
          "EMAIL;TYPE=work:ade@gridloom.example\r\nURL:https://www.linkedin.com/in/adebalogun\r\nEND:VCARD\r\n"
          "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë Müller\r\nORG:Müller \\, Söhne GmbH\r\nEND:VCARD\r\n")
PLAIN = ("name;company;job title;email\nMaya Chen;Corvane Analytics;Data Scientist;maya@corvane.example\n"
         "No Company;;;\n;Nameless Org;;\n")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _snapshot(engine: Engine) -> tuple[Any, ...]:
    with Session(engine) as s:
        contacts = sorted((c.key, c.full_name, c.company, c.position, c.organization_id, c.imported_at)
                          for c in s.exec(select(Contact)))
        orgs = sorted((o.id, o.name) for o in s.exec(select(Organization)))
        aliases = sorted((a.organization_id, a.normalized) for a in s.exec(select(OrgAlias)))
    return contacts, orgs, aliases


def test_linkedin_export_with_notes_is_read_and_linked(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path, "Connections.csv", LINKEDIN)
    summary = import_contacts(engine, path)
    assert (summary.format, summary.new, summary.linked) == ("linkedin", 4, 3)
    with Session(engine) as s:
        priya = s.exec(select(Contact).where(Contact.full_name == "Priya Raman")).one()
        assert priya.position == "Staff Engineer"
        assert priya.connected_on is not None and priya.connected_on.isoformat() == "2023-11-12"
        employer = s.get(Organization, priya.organization_id)
        assert employer is not None and employer.name == "Tallyforge Payments"
        ana = s.exec(select(Contact).where(Contact.full_name == "Ana Ruiz")).one()
        assert ana.organization_id is None  # self-employed is no employer


def test_reimporting_the_same_file_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    for name, text in (("Connections.csv", LINKEDIN), ("a.vcf", VCARD3 + VCARD4), ("plain.csv", PLAIN)):
        path = _write(tmp_path, name, text)
        import_contacts(engine, path)
        before = _snapshot(engine)
        again = import_contacts(engine, path)
        assert again.new == again.updated == 0 and again.unchanged > 0
        assert _snapshot(engine) == before


def test_a_changed_position_updates_the_contact_in_place(engine: Engine, tmp_path: Path) -> None:
    import_contacts(engine, _write(tmp_path, "c.csv", LINKEDIN))
    changed = import_contacts(engine,
                              _write(tmp_path, "c2.csv", LINKEDIN.replace("Staff Engineer", "Engineering Manager")))
    assert (changed.new, changed.updated) == (0, 1)
    with Session(engine) as s:
        assert s.exec(select(Contact).where(Contact.full_name == "Priya Raman")).one().position == "Engineering Manager"
        assert len(s.exec(select(Contact)).all()) == 4


def test_vcard_3_and_4(tmp_path: Path) -> None:
    fmt, records, _ = parse_contacts(_write(tmp_path, "x.vcf", VCARD3 + VCARD4))
    assert fmt == "vcard"
    by = {r.full_name: r for r in records}
    assert by["Lena Fischer"].company == "Shieldwarden" and by["Lena Fischer"].email == "lena@shieldwarden.example"
    assert by["Ade Balogun"].position == "Field Operations Manager"  # folded line
    assert by["Zoë Müller"].company == "Müller , Söhne GmbH"


def test_plain_csv_with_other_column_names_and_delimiter(tmp_path: Path) -> None:
    fmt, records, _ = parse_contacts(_write(tmp_path, "p.csv", PLAIN))
    assert fmt == "csv" and [r.full_name for r in records] == ["Maya Chen", "No Company"]
    assert records[0].company == "Corvane Analytics" and records[0].position == "Data Scientist"


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
    (b"city,country\nParis,France\n", "no name column"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nthis line is not a property\r\n", "vCard"),
])
def test_bad_files_are_refused_with_one_line_and_store_nothing(engine: Engine, tmp_path: Path, content: bytes,
                                                               message: str) -> None:
    import_contacts(engine, _write(tmp_path, "ok.csv", PLAIN))
    before = _snapshot(engine)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    with pytest.raises(UsageError, match=message) as err:
        import_contacts(engine, bad)
    assert "\n" not in str(err.value)
    assert _snapshot(engine) == before


def test_cli_import_list_and_csv_output_is_formula_safe(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "r.db"
    path = _write(tmp_path, "Connections.csv", LINKEDIN)
    r = subprocess.run([sys.executable, "-m", "radar", "--db", str(db), "contacts", "import", str(path)],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0 and "4 new" in r.stderr, r.stderr
    out = subprocess.run([sys.executable, "-m", "radar", "--db", str(db), "contacts", "list", "--csv"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0
    assert "\n=" not in out.stdout and ",=" not in out.stdout and "'=HYPERLINK" in out.stdout
    missing = subprocess.run([sys.executable, "-m", "radar", "--db", str(db), "contacts", "import",
                              str(tmp_path / "nope.csv")], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "does not exist" in missing.stderr
