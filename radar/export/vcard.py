"""vCard 4.0 (RFC 6350), or 3.0 (RFC 2426), for the people radar surfaces.

Text from the web is escaped as the RFC asks (backslash, comma, semicolon, newline) and
lines are folded at 75 octets, so a hostile name cannot add properties or cards.
"""
from radar.export.records import ExportSet, Item, PersonRecord, item

VERSIONS = ("4.0", "3.0")


def escape(value: str) -> str:
    v = value.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
    return v.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def fold(line: str) -> str:
    """Fold a content line into 75-octet pieces, never splitting a UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def card(p: PersonRecord, version: str = "4.0") -> str:
    uid = f"urn:uuid:{p.uid}"
    note = "\n".join(p.notes)
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"UID:{uid}", f"FN:{escape(p.full_name)}",
             f"N:{escape(p.last_name)};{escape(p.first_name)};;;", f"ORG:{escape(p.org_name)}"]
    if p.title:
        lines.append(f"TITLE:{escape(p.title)}")
    if p.email:
        lines.append(f"EMAIL:{escape(p.email)}" if version == "4.0" else f"EMAIL;TYPE=INTERNET:{escape(p.email)}")
    if p.url:
        lines.append(f"URL:{escape(p.url)}")
    if note:
        lines.append(f"NOTE:{escape(note)}")
    lines.append("CATEGORIES:" + ",".join(escape(c) for c in p.categories))
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def items(data: ExportSet, version: str = "4.0") -> list[Item]:
    return [item(p.key, "cards", {"card": card(p, version)}) for p in data.people]


def render(chosen: list[Item]) -> str:
    return "".join(i.payload["card"] for i in chosen)
