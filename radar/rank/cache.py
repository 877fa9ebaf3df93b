"""The rank cache: the last whole ranking for one profile, stored so `radar orgs top` reads a
few rows instead of scoring every signal again.

Ranking still happens per person at query time (DESIGN.md): the cache only remembers its
result while nothing it depends on has changed. A stored ranking is used when all three match:

- `profile_key`: a hash of the profile, the ranking and industry settings, the need model,
  the industry catalog and RANK_VERSION (bump it when a code change alters scores);
- `day`: recency decays daily, so a ranking is good for the day it was computed for;
- `data_version`: the newest id of every table ranking reads (radar only ever adds signals,
  mentions, documents, organizations and aliases; an event re-dated or re-scored by a later
  report arrives with a new mention), the contacts' count and newest import, and the
  sources' industries.

When new signals arrive on the same day, only the organizations they concern are ranked again
(`replace_some`): their rows are replaced and the rest keep their places. Their BM25
relevance cannot be recomputed alone: an organization ranked before keeps its stored
relevance, a new one gets the neutral 1.0, and the header row (position 0) is marked
partial (its `industries` holds radar.store.rank_cache.PARTIAL). A partial ranking serves
`radar orgs top`; the digest asks for a complete one (`store.read_ranking(..., complete=True)`),
and the next day ranks everything again anyway, since recency decays.

The rows are read and written by radar.store.rank_cache; this module says what a ranking's
key is and turns a ranking into rows.

Stored rows keep what cannot be recomputed for one organization alone (its BM25 relevance is
relative to every organization ranked, see radar.rank.relevance); everything else is
recomputed for the rows shown, and a score that no longer matches marks the cache stale.
"""
import hashlib
import json
from datetime import date
from typing import Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.industries import catalog
from radar.rank.needs import TypeModel
from radar.rank.score import Ranked
from radar.settings import Settings

RANK_VERSION = "1"


def profile_key(settings: Settings, model: dict[str, TypeModel]) -> str:
    """Hash of everything besides the data and the day that a ranking depends on."""
    payload = {
        "version": RANK_VERSION,
        "profile": settings.profile.model_dump(mode="json"),
        "ranking": settings.ranking.model_dump(mode="json"),
        "industries": settings.industries.model_dump(mode="json"),
        # Reprs of frozen dataclasses: the merged need model and catalog, whatever file they came from.
        "model": repr(sorted(model.items())),
        "catalog": repr(sorted(catalog().items())),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


def store_ranking(engine: Engine, key: str, today: date, version: str, ranked: list[Ranked],
                  relevance: dict[int, float], investor_contacts: dict[int, int]) -> None:
    """Replace the stored ranking for `key` with `ranked` (radar.store.save_ranking: a failure
    to write is logged, a damaged database refused)."""
    store.save_ranking(engine, key, today, version, [
        (r.org.id, r.score, relevance.get(r.org.id, 1.0), investor_contacts.get(r.org.id, 0), list(r.org.industries))
        for r in ranked])


def replace_some(engine: Engine, key: str, today: date, version: str, org_ids: set[int], ranked: list[Ranked],
                 relevance: dict[int, float], investor_contacts: dict[int, int]) -> Optional[int]:
    """Replace the rows of `org_ids` with their new ranking (an organization no longer ranked
    drops out) and reorder; returns how many are ranked, or None if the stored ranking changed
    meanwhile (the caller ranks everything)."""
    new = {r.org.id: (r.score, r.org.name, relevance.get(r.org.id, 1.0), investor_contacts.get(r.org.id, 0),
                      list(r.org.industries)) for r in ranked}
    return store.replace_ranked(engine, key, today, version, org_ids, new)
