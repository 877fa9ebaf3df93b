"""`radar orgs`, `radar rank`, `radar recruiters`: ranked organizations and their reasons."""
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from radar.cli import app
from radar.cli.output import MAX_LIMIT, CsvOpt, JsonlOpt, JsonOpt, emit, pick_format, stderr
from radar.cli.state import state
from radar.errors import RadarError
from radar.terminal import SafeConsole

if TYPE_CHECKING:
    from datetime import date

    from radar.rank.score import OrgView, Ranked
    from radar.rank.world import OrgReport

orgs_app = typer.Typer(help="Ranked organizations.\n\nExample: radar orgs top --limit 10",
                       context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(orgs_app, name="orgs")
rank_app = typer.Typer(help="Ranking tools.\n\nExample: radar rank eval",
                       context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(rank_app, name="rank")



def _today() -> "date":
    from radar.clock import today_for

    return today_for(state.settings())


def _ranked(limit: int, industry: Optional[str] = None) -> "list[Ranked]":
    from radar.rank.world import top

    with stderr.status("ranking organizations ..."):
        # Reading a fresh stored ranking writes nothing: the page check waits for a store (radar.db).
        return top(state.engine(writes=False), state.settings(), _today(), limit=limit, industry=industry)


def _row(i: int, r: "Ranked") -> dict[str, Any]:
    return {"rank": i, "organization": r.org.name, "score": r.score, "why_now": r.why_now,
            "industries": r.org.industries, "signals": len(r.contributions),
            "warm_paths": [f"{p['name']} ({p['via']})" for p in r.warm_paths],
            "recruiters": [m["firm"] for m in r.recruiters], "brief": [b["text"] for b in r.brief],
            "factors": r.factors}


def _top_listing(limit: int, industry: Optional[str], as_json: bool, as_jsonl: bool, as_csv: bool) -> None:
    fmt = pick_format(as_json, as_jsonl, as_csv)
    rows = [_row(i, r) for i, r in enumerate(_ranked(limit, industry), 1)]
    columns = ["rank", "organization", "score", "why_now", "warm_paths"] if fmt == "table" else \
        ["rank", "organization", "score", "why_now", "industries", "signals", "warm_paths", "recruiters", "brief"]
    emit(rows, columns, fmt, widths={"why_now": 70})


@orgs_app.command("top")
def orgs_top(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="Organizations shown.")] = 20,
    industry: Annotated[Optional[str], typer.Option(
        "--industry", help="Only organizations in this industry (radar industries list).")] = None,
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
) -> None:
    """The organizations most likely to need you, best first.

    Example: radar orgs top --limit 10 --industry fintech
    """
    _top_listing(limit, industry, as_json, as_jsonl, as_csv)


def _report(name: str) -> "OrgReport":
    from radar.rank.world import org_report

    with stderr.status(f"scoring {name} ..."):
        return org_report(state.engine(), state.settings(), name, _today())


def _timeline(org: "OrgView") -> list[dict[str, Any]]:
    return [{"date": s.event_date, "type": s.type, "subtype": s.subtype, "evidence": s.evidence, "url": s.url,
             "mentions": s.mentions, "confidence": s.confidence, "signal_id": s.id}
            for s in sorted(org.signals, key=lambda s: s.event_date, reverse=True)]


@orgs_app.command("show")
def orgs_show(name: Annotated[str, typer.Argument(help="Organization name (or an alias).")],
              as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """One organization: its industries and where they came from, its signals over time, your contacts.

    With --jsonl or --csv, the timeline of signals.

    Example: radar orgs show "Northwind Ledger"
    """
    fmt = pick_format(as_json, as_jsonl, as_csv)
    rep = _report(name)
    org = rep.org
    timeline = _timeline(org)
    if fmt in ("jsonl", "csv"):
        emit(timeline, ["date", "type", "subtype", "evidence", "url", "mentions"], fmt)
        return
    facts = _facts(org.id)
    detail: dict[str, Any] = {
        "organization": org.name, "aliases": org.aliases, "location": org.location, "stage": org.stage,
        "size": org.size, "domain": org.domain, "facts": facts,
        "industries": [{"industry": k, "from": org.industry_origins.get(k, [])} for k in org.industries],
        "rank": rep.position, "score": rep.ranked.score if rep.ranked else None, "excluded": rep.excluded,
        "warm_paths": rep.ranked.warm_paths if rep.ranked else [], "signals": timeline}
    if fmt == "json":
        emit([detail], [], "json")
        return
    out = SafeConsole(highlight=False)
    out.print(f"{org.name}" + (f" (also: {', '.join(org.aliases)})" if org.aliases else ""))
    out.print(f"  location: {org.location or '?'} · stage: {org.stage or '?'} · size: {org.size or '?'}"
              + (f" · rank {rep.position}, score {rep.ranked.score:.2f}" if rep.position and rep.ranked else "")
              + (" · excluded by your profile" if rep.excluded else ""))
    _print_facts(out, facts)
    out.print("Industries (correct them with 'radar orgs set NAME industry=...' or [industries] overrides):")
    for item in detail["industries"] or [{"industry": "unknown", "from": ["no evidence yet"]}]:
        out.print(f"  {item['industry']}: {'; '.join(item['from'])}")
    out.print("Contacts:" if detail["warm_paths"] else "Contacts: none known")
    for p in detail["warm_paths"]:
        out.print(f"  {p['name']}, {p['position'] or '?'} at {p['company'] or '?'} ({p['via']})")
    out.print("Signals:")
    emit(timeline, ["date", "type", "subtype", "evidence"], "table", widths={"evidence": 80})


def _facts(org_id: int) -> list[dict[str, Any]]:
    from radar import store
    from radar.entities.profile import fact_rows, facts_of

    with store.transaction(state.engine()) as s:
        return fact_rows(facts_of(s, org_id))


def _print_facts(out: SafeConsole, facts: list[dict[str, Any]]) -> None:
    """Each fact, the value in use first, with where it came from."""
    if not facts:
        out.print("Facts: none read yet (correct or add them with 'radar orgs set')")
        return
    out.print("Facts (* in use; correct them with 'radar orgs set NAME field=value'):")
    for f in sorted(facts, key=lambda f: (f["field"], not f["used"], -f["confidence"])):
        where = "you" if f["origin"] == "user" else (f["url"] or "reference list")
        when = f" {f['date']}" if f["date"] else ""
        out.print(f"  {'*' if f['used'] else ' '} {f['field']}: {f['value']}  ({f['how']}; {f['confidence']:.2f};"
                  f"{when} {where})")


@orgs_app.command("set")
def orgs_set(name: Annotated[str, typer.Argument(help="Organization name (or an alias).")],
             assignments: Annotated[list[str], typer.Argument(
                 help="FIELD=VALUE pairs: domain, location, size, employees, industry (comma-separated), stage, "
                      "ticker, cik. An empty value (location=) removes your correction.")]) -> None:
    """Correct what radar knows about an organization; your value wins over anything crawled later.

    Example: radar orgs set "Northwind Ledger" domain=northwindledger.com location="New York"
    """
    from radar import store
    from radar.entities.profile import parse_assignments, set_facts
    from radar.rank.world import find_org

    pairs = parse_assignments(assignments)
    engine = state.engine()
    org_id = find_org(engine, name)
    if org_id is None:
        raise RadarError(f"no organization called '{name}' is known; list them with 'radar orgs top'")
    # One transaction: set_facts reads the organization's facts and writes the user's over them.
    with store.transaction(engine) as s:
        org = store.organization(s, org_id)
        assert org is not None
        set_facts(s, org, pairs)
    stderr.print(f"{org.name}: " + ", ".join(
        f"{field}={'(removed)' if not values else ','.join(values)}" for field, values in pairs))
    from radar.pipeline import rank_corrected

    # A stored ranking would keep the old fit: a removed correction may leave its version as it was.
    rank_corrected(engine, state.settings(), {org_id})


@orgs_app.command("explain")
def orgs_explain(name: Annotated[str, typer.Argument(help="Organization name (or an alias).")],
                 as_json: JsonOpt = False) -> None:
    """Why an organization scores what it does: factors, signals by contribution with evidence, why now.

    Example: radar orgs explain "Northwind Ledger"
    """
    from radar.rank.explain import explanation

    rep = _report(name)
    if rep.excluded:
        raise RadarError(f"{rep.org.name} is excluded by your profile ([profile] exclude); it is never ranked")
    if rep.ranked is None:
        raise RadarError(f"{rep.org.name} has no signals in the last two years; see 'radar orgs show'")
    ex = explanation(rep.ranked, rep.position)
    if as_json:
        emit([ex], [], "json")
        return
    _print_explanation(ex)


def _print_explanation(ex: dict[str, Any]) -> None:
    from radar.rank.phrases import clean

    out = SafeConsole(highlight=False)
    where = f"rank {ex['rank']}" if ex["rank"] else "not ranked (nothing positive for your profile)"
    out.print(f"{ex['organization']}: score {ex['score']:.3f} ({where})")
    out.print(f"Why now: {ex['why_now'] or '-'}")
    out.print(f"Score = {ex['formula']}")
    for f in ex["factors"]:
        out.print(f"  {f['factor']:<11} {f['value']:>8.3f}  {f['meaning']}")
    out.print("Signals, by contribution:")
    for i, s in enumerate(ex["signals"], 1):
        factors = " × ".join(f"{k} {v:g}" for k, v in s["factors"].items())
        out.print(f"  {i}. {s['value']:+.3f} ({s['share']:.0%}) {s['date']} {s['type']}/{s['subtype'] or '-'}: "
                  f"{s['why']}")
        out.print(f"     need: {s['need']}; {factors}")
        out.print(f"     \"{clean(s['evidence'])[:300]}\"" + (f" {s['url']}" if s["url"] else ""))
    if ex["brief"]:
        out.print("Audition brief:")
        for b in ex["brief"]:
            out.print(f"  - {b['text']} [signal {b['signal_id']}]")
    for p in ex["warm_paths"]:
        out.print(f"Warm path: {p['name']}, {p['position'] or '?'} at {p['company'] or '?'} ({p['via']})")
    for m in ex["recruiters"]:
        out.print(f"Recruiter: {m['firm']} is searching for a {m['role']} ({m['date']})")


@rank_app.command("show")
def rank_show(limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT,
                                                 help="Organizations shown.")] = 20,
              as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """Rank organizations for the configured profile (same as orgs top).

    Example: radar rank show --json
    """
    _top_listing(limit, None, as_json, as_jsonl, as_csv)


@rank_app.command("eval")
def rank_eval(
    world: Annotated[Optional[Path], typer.Option(
        "--world", help="Fixture world file (default: the one radar ships).")] = None,
    scenarios: Annotated[Optional[Path], typer.Option(
        "--scenarios", help="Scenarios with expected top 5 (default: the ones radar ships).")] = None,
    floors: Annotated[Optional[Path], typer.Option(
        "--floors", help="Fail (exit 1) if a scenario falls below its floor in this file.")] = None,
    write_floors: Annotated[Optional[Path], typer.Option(
        "--write-floors", help="Pin the current scores as floors in this file.")] = None,
    allow_lower: Annotated[bool, typer.Option(
        "--allow-lower", help="Let --write-floors lower an existing floor.")] = False,
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
) -> None:
    """NDCG@10 of the ranking per scenario of the fixture world, against reasoned expectations.

    Uses the built-in need model and default ranking settings, so results do not depend on your config.

    Example: radar rank eval --floors tests/quality/rank_floors.toml
    """
    from radar.rank import evaluate as ev
    from radar.rank.fixture import SCENARIOS_FILE, WORLD_FILE

    fmt = pick_format(as_json, as_jsonl, as_csv)
    results = ev.evaluate(world or WORLD_FILE, scenarios or SCENARIOS_FILE)
    rows = [{"scenario": r.name, "ndcg_at_10": r.ndcg, "expected": r.expected, "top_10": r.got} for r in results]
    emit(rows, ["scenario", "ndcg_at_10", "top_10"], fmt, widths={"top_10": 90})
    mean = sum(r.ndcg for r in results) / len(results)
    stderr.print(f"mean NDCG@10 over {len(results)} scenarios: {mean:.4f}")
    if write_floors:
        ev.write_floors(write_floors, results, allow_lower)
        stderr.print(f"floors written to {write_floors}")
    if floors:
        problems = ev.below_floors(results, ev.read_floors(floors))
        if problems:
            raise RadarError("; ".join(problems))
        stderr.print(f"every scenario is at or above its floor in {floors}")


@app.command()
def recruiters(
    limit: Annotated[int, typer.Option(
        "--limit", "-n", min=1, max=MAX_LIMIT, help="How many of your top-ranked organizations to look at.")] = 50,
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
) -> None:
    """Search firms with a search running at an organization you rank, with the evidence.

    Example: radar recruiters --csv
    """
    from radar.rank.recruiters import recruiter_rows

    fmt = pick_format(as_json, as_jsonl, as_csv)
    rows = recruiter_rows(_ranked(limit))
    emit(rows, ["firm", "employer", "employer_rank", "role", "date", "evidence", "url"], fmt, widths={"evidence": 60})
