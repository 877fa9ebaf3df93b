"""The `radar` command: a thin Typer layer over importable functions.

Errors the user can act on print as one line on stderr: exit 1 for runtime failures,
2 for usage and configuration errors. Tracebacks only with --debug.
"""
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from radar.cli.state import state
from radar.errors import RadarError

CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    name="radar",
    help="Which organizations are likely to need you before a job is posted, and why.\n\nExample: radar demo",
    context_settings=CONTEXT,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)


@app.callback()
def _global(
    config: Annotated[Optional[Path], typer.Option(
        "--config", "-c", help="Config file (default config/radar.toml, or $RADAR_CONFIG).")] = None,
    db: Annotated[Optional[str], typer.Option(
        "--db", help="Database URL or SQLite file (overrides the config and $RADAR_DATABASE_URL).")] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv for debug).")] = 0,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    state.config, state.db, state._settings = config, db, None
    state.overrides = {}
    if debug:
        os.environ["RADAR_DEBUG"] = "1"
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr, force=True)
    for noisy in ("trafilatura", "htmldate", "httpx", "httpcore", "scrapy", "twisted", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING) if verbose < 2 else logging.DEBUG)


def _register() -> None:
    # One module per command group; each adds its commands to `app`.
    from radar.cli import (  # noqa: F401 - imported for their side effect
        cmd_contacts,
        cmd_core,
        cmd_digest,
        cmd_export,
        cmd_nlp,
        cmd_orgs,
        cmd_profiles,
        cmd_serve,
        cmd_signals,
        cmd_sources,
        cmd_worker,
    )


_register()


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"radar: error: {message}\n")
    return code


def _command_line_error(e: typer.TyperException) -> int:
    """A command line Typer refused: one line and exit 2; a group called alone prints its help.

    Typer 0.29 vendors click and makes only TyperException public, so the kinds are told
    apart by what they carry (and the help case by its class name, as typer.rich_utils does).
    """
    ctx = getattr(e, "ctx", None)
    if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:
        # Like `git remote -h`: the help, and not an error.
        sys.stdout.write(ctx.get_help() + "\n")
        return 0
    cmd = ctx.command_path if ctx else "radar"
    option, possibilities = getattr(e, "option_name", None), getattr(e, "possibilities", None)
    if option and hasattr(e, "possibilities"):  # an unknown option, with close names if any
        hint = f"; did you mean {', '.join(possibilities)}?" if possibilities else ""
        return _fail(f"no such option {option}{hint} (see '{cmd} --help')", 2)
    return _fail(f"{e.format_message()} (see '{cmd} --help')", e.exit_code)


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point: runs the app and turns known errors into one line and an exit code."""
    from radar.cli.argv import hoist_global_options

    args = hoist_global_options(sys.argv[1:] if argv is None else list(argv))
    try:
        result = app(args=args, standalone_mode=False, prog_name="radar")
        return result if isinstance(result, int) else 0
    except typer.TyperException as e:
        return _command_line_error(e)
    except typer.Abort:
        return _fail("interrupted", 130)
    except typer.Exit as e:
        return e.exit_code
    except RadarError as e:
        if os.environ.get("RADAR_DEBUG"):
            raise
        return _fail(str(e), e.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except OSError as e:
        # A path the user gave that cannot be created, read or written (a file where a folder
        # should be, a folder where a file should be, no permission): one line, not a traceback.
        if os.environ.get("RADAR_DEBUG"):
            raise
        where = f" {e.filename}" if e.filename else ""
        why = e.strerror or str(e)
        if isinstance(e, (FileExistsError, NotADirectoryError)):
            why = "a file is in the way where a folder is needed"
        elif isinstance(e, IsADirectoryError):
            why = "it is a folder, and a file is needed"
        return _fail(f"cannot use{where}: {why}; check the path and its permissions", 1)
    except Exception as e:  # a bug must still end in one line, not a traceback
        if os.environ.get("RADAR_DEBUG"):
            raise
        return _fail(f"internal error ({type(e).__name__}: {str(e)[:200]}); run again with --debug for the traceback "
                     "and please report it", 1)


def run() -> None:
    sys.exit(main())
