"""`radar serve`: the scheduler service."""
from radar.cli import app
from radar.errors import RadarError


@app.command()
def serve() -> None:
    """Run crawls, extraction and the weekly digest on a schedule.

    Example: radar serve --config ~/.config/radar/radar.toml
    """
    raise RadarError("radar serve is not built yet (issue 6)")
