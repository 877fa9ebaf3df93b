"""`radar serve`: the scheduler service."""
import logging
import sys

from radar.cli import app
from radar.cli.output import stderr
from radar.cli.state import state


@app.command()
def serve() -> None:
    """Run crawls, extraction and the weekly digest on a schedule, until SIGTERM or Ctrl-C.

    One instance per database; the schedule is kept in the database across restarts.

    Example: radar serve --config ~/.config/radar/radar.toml
    """
    from radar.service.serve import serve as run_service

    settings = state.settings()
    engine = state.engine()
    # A service logs with timestamps at the configured level unless -v asked for more.
    root = logging.getLogger()
    logging.basicConfig(level=root.level, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr, force=True)
    radar_log = logging.getLogger("radar")
    if radar_log.getEffectiveLevel() > logging.getLevelName(settings.general.log_level):
        radar_log.setLevel(settings.general.log_level)
    stderr.print(f"radar serve: database {engine.url.render_as_string(hide_password=True)}; Ctrl-C or SIGTERM stops it")
    run_service(settings, engine)
