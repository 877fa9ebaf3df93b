"""Shared helpers for the ranking tests: the fixture world and its scenarios, loaded fresh."""
from datetime import date
from pathlib import Path

from radar.rank.fixture import SCENARIOS_FILE, WORLD_FILE, Scenario, load_scenarios, load_world_file
from radar.rank.pipeline import World

FLOORS_FILE = Path(__file__).parent / "quality" / "rank_floors.toml"


def world() -> tuple[World, date]:
    """A fresh copy: ranking writes contacts and industries into the views."""
    return load_world_file(WORLD_FILE)


def scenarios() -> list[Scenario]:
    return load_scenarios(SCENARIOS_FILE)
