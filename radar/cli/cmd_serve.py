"""`radar serve`: the scheduler service."""
from radar.cli import app
from radar.cli.output import service_logging, stderr
from radar.cli.state import state


@app.command()
def serve() -> None:
    """Run crawls, extraction and the weekly digest on a schedule, until SIGTERM or Ctrl-C.

    One instance per database; the schedule is kept in the database across restarts.

    Example: radar serve --config ~/.config/radar/radar.toml
    """
    from radar.service.serve import serve as run_service

    settings = state.settings()
    engine = state.engine(long_job=True)
    service_logging(settings.general.log_level)
    stderr.print(f"radar serve: database {engine.url.render_as_string(hide_password=True)}; Ctrl-C or SIGTERM stops it")
    run_service(settings, engine)
