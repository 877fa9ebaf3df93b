"""Monica (personal CRM): companies, contacts, occupations and notes through Monica's REST API.

Monica is about people, so an organization is sent only when someone there is: the
company (POST /api/companies), each person (POST /api/contacts), an occupation tying the
person to the company with a title (POST /api/occupations), and the organization's
signals as notes on its first person (POST /api/notes; Monica's notes belong to
contacts). Records pushed before are updated in place (PUT /api/<kind>/<id>); one that
was deleted in Monica (404) is created again.
"""
from typing import Any, Optional

from radar.errors import RadarError
from radar.export.http import ApiClient
from radar.export.records import ExportSet, Item, item
from radar.export.state import ExportState

ORDER = ("companies", "contacts", "occupations", "notes")


def _cut(text: Optional[str], n: int) -> Optional[str]:
    return text[:n] if text else text


def items(data: ExportSet) -> list[Item]:
    out: list[Item] = []
    for o in data.orgs:
        people = sorted((p for p in data.people if p.org_uid == o.uid), key=lambda p: p.uid)
        if not people:
            continue
        out.append(item(o.key, "companies", {"name": _cut(o.name, 255), "website": _cut(o.website, 255)}))
        for p in people:
            out.append(item(p.key, "contacts", {"first_name": _cut(p.first_name or p.full_name, 255),
                                                "last_name": _cut(p.last_name, 255) or None,
                                                "is_birthdate_known": False, "is_deceased": False,
                                                "is_deceased_date_known": False}))
            out.append(item(f"occupation:{p.uid}", "occupations",
                            {"title": _cut(p.title or "Unknown role", 255), "currently_works_here": True},
                            refs={"contact_id": p.key, "company_id": o.key}))
        anchor = people[0]
        for s in o.signals:
            out.append(item(f"note:{s.uid}", "notes", {"body": s.note[:100_000], "is_favorited": False},
                            refs={"contact_id": anchor.key}))
    return out


class MonicaPush:
    def __init__(self, client: ApiClient, state: ExportState):
        self.client, self.state = client, state

    def body(self, it: Item) -> dict[str, Any]:
        body = dict(it.payload)
        for field_name, key in it.refs.items():
            ref = self.state.external_id(key)
            if not ref:
                raise RadarError(f"Monica: {it.key} refers to {key}, which has no Monica id yet; "
                                 "run the export again without --since-last")
            body[field_name] = int(ref)
        return body

    def send(self, it: Item) -> None:
        body = self.body(it)
        known = self.state.external_id(it.key)
        if known:
            r = self.client.request("PUT", f"/api/{it.kind}/{known}", json=body, ok_statuses=(404,))
            if r.status_code != 404:
                self.state.mark([(it.key, it.digest, known)])
                return
        r = self.client.request("POST", f"/api/{it.kind}", json=body)
        try:
            new_id = str(r.json()["data"]["id"])
        except (ValueError, KeyError, TypeError):
            raise RadarError(f"Monica answered POST /api/{it.kind} without data.id; "
                             "is the URL a Monica server's base URL?") from None
        self.state.mark([(it.key, it.digest, new_id)])

    def run(self, chosen: list[Item]) -> dict[str, int]:
        counts = {k: 0 for k in ORDER}
        for kind in ORDER:
            for it in (i for i in chosen if i.kind == kind):
                self.send(it)
                counts[kind] += 1
        return counts
