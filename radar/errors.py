"""Typed errors: each one names the cause and the fix; the CLI prints it as one line."""


class RadarError(Exception):
    """A runtime failure the user can act on (exit code 1)."""

    exit_code = 1


class ConfigError(RadarError):
    """Misconfiguration or misuse (exit code 2)."""

    exit_code = 2


class UsageError(ConfigError):
    """A bad command-line value (exit code 2)."""


class DatabaseError(RadarError):
    """The database is unreadable, or newer than this version of radar."""


class ModelLoadError(RadarError):
    """The spaCy pipeline cannot be loaded."""
