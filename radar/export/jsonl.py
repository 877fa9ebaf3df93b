"""JSON Lines: one record per ranked organization, with its score, factors and signals, under stable ids."""
import json

from radar.export.records import ExportSet, Item, item


def items(data: ExportSet) -> list[Item]:
    # The fingerprint is the organization's facts, not its score: a decaying score is not news.
    return [item(o.key, "organizations", o.as_json(), facts=o.facts()) for o in data.orgs]


def render(chosen: list[Item]) -> str:
    return "".join(json.dumps(i.payload, ensure_ascii=False, sort_keys=True) + "\n" for i in chosen)
