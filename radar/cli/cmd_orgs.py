"""`radar orgs`, `radar rank`, `radar recruiters`: ranked organizations and their reasons."""
from typing import Annotated, Optional

import typer

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format
from radar.cli.state import state
from radar.errors import RadarError

orgs_app = typer.Typer(help="Ranked organizations.\n\nExample: radar orgs top --limit 10", context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(orgs_app, name="orgs")
rank_app = typer.Typer(help="Ranking tools.\n\nExample: radar rank show", context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(rank_app, name="rank")


def _ranked(limit: int, industry: Optional[str] = None):  # type: ignore[no-untyped-def]
    from radar.jobs import today_for
    from radar.rank.world import top

    settings = state.settings()
    return top(state.engine(), settings, today_for(settings), limit=limit, industry=industry)


def _row(i: int, r) -> dict:  # type: ignore[no-untyped-def]
    return {"rank": i, "organization": r.org.name, "score": r.score, "why_now": r.why_now,
            "signals": len(r.contributions), "industries": r.org.industries, "warm_paths": r.org.contacts,
            "factors": r.factors}


@orgs_app.command("top")
def orgs_top(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Organizations shown.")] = 20,
    industry: Annotated[Optional[str], typer.Option("--industry", help="Only organizations in this industry.")] = None,
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
) -> None:
    """The organizations most likely to need you, best first.

    Example: radar orgs top --limit 10 --industry fintech
    """
    fmt = pick_format(as_json, as_jsonl, as_csv)
    rows = [_row(i, r) for i, r in enumerate(_ranked(limit, industry), 1)]
    emit(rows, ["rank", "organization", "score", "why_now", "signals"], fmt)


@rank_app.command("show")
def rank_show(limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
              as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """Rank organizations for the configured profile (same as orgs top).

    Example: radar rank show --json
    """
    fmt = pick_format(as_json, as_jsonl, as_csv)
    rows = [_row(i, r) for i, r in enumerate(_ranked(limit), 1)]
    emit(rows, ["rank", "organization", "score", "why_now", "signals"], fmt)


@app.command()
def recruiters(as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """Search firms with a search running at an organization you rank.

    Example: radar recruiters --csv
    """
    raise RadarError("radar recruiters is not built yet (issue 5)")
