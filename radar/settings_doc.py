"""Writes docs/configuration.md from the settings declared in radar/settings.py.

Run `python -m radar.settings_doc > docs/configuration.md` after adding a setting; a test
fails while a setting is missing from the docs.
"""
from typing import Any

from pydantic import BaseModel

from radar.settings import Settings, SourceEntry

INTRO = """# Configuration

radar reads one TOML file: `--config PATH`, else `$RADAR_CONFIG`, else `config/radar.toml`.
`radar init` writes a commented starter file; `radar config show` prints every effective
setting and where it came from. Precedence: defaults < config file < `RADAR_*` environment
(`RADAR_DATABASE_URL`, `RADAR_DATA_DIR`, `RADAR_LOG_LEVEL`) < command-line options (`--db`).

Unknown keys, wrong types and invalid values stop radar with one line naming the key, the
bad value and what is allowed (exit code 2). Secrets never live in the file: settings ending
in `_env` name the environment variable that holds the secret.
"""


def _default(field: Any) -> Any:
    if field.default_factory is not None:
        return field.default_factory()
    return "(required)" if field.is_required() else field.default


def _table(model: type[BaseModel]) -> list[str]:
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for key, field in model.model_fields.items():
        rows.append(f"| `{key}` | `{_default(field)!r}` | {field.description or ''} |")
    return rows


def render() -> str:
    lines = [INTRO]
    for name, field in Settings.model_fields.items():
        if name == "sources":
            lines += ["## [[sources]]", "", "Your own sources, one table per source.", "", *_table(SourceEntry), ""]
        else:
            lines += [f"## [{name}]", "", *_table(field.annotation), ""]  # type: ignore[arg-type]  # a section model
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
