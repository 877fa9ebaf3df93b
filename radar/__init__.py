"""radar: which organizations are likely to need you before a job opening is posted, and why."""

__version__ = "0.1.0"
