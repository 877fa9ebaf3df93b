"""Where the built-in catalogs live (config/ in the source tree, radar.catalog when installed)."""
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from radar.errors import ConfigError


def catalog_path(name: str) -> Path:
    """Path of a built-in data file such as 'needs.toml' or 'sources/fintech.toml'."""
    return Path(str(resources.files("radar.catalog").joinpath(name)))


def read_toml(path: Path, what: str, fix: str) -> dict[str, Any]:
    """A TOML data file, or a ConfigError naming the file and `fix` (what the user should do)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what} {path} does not exist; {fix}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{what} {path}: cannot read it ({e})") from None
