"""Where the built-in catalogs live (config/ in the source tree, radar.catalog when installed)."""
from importlib import resources
from pathlib import Path


def catalog_path(name: str) -> Path:
    """Path of a built-in data file such as 'needs.toml' or 'sources/fintech.toml'."""
    return Path(str(resources.files("radar.catalog").joinpath(name)))
