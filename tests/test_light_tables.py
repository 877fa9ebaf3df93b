"""radar.light_tables names columns of radar.models' tables, with the same types, and keeps the
light commands from importing SQLModel."""
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import TypeDecorator
from sqlmodel import SQLModel

import radar.models  # noqa: F401 - registers the tables on SQLModel.metadata
from radar.light_tables import TABLES


def test_every_light_column_is_a_column_of_the_model_table_with_its_type() -> None:
    models = SQLModel.metadata.tables
    for light in TABLES:
        model = models[light.name]
        for c in light.columns:
            assert c.name in model.c, f"{light.name}.{c.name} is not a column of radar.models"
            # SQLModel's AutoString decorates a String: compare the type it stores.
            stored: Any = model.c[c.name].type
            stored = stored.impl if isinstance(stored, TypeDecorator) else stored
            assert isinstance(stored, type(c.type)), f"{light.name}.{c.name}: {stored!r}"


@pytest.mark.parametrize("command", [["signals", "--limit", "5"], ["orgs", "top", "--json"]])
def test_light_commands_import_neither_sqlmodel_nor_the_table_models(tmp_path: Path, command: list[str]) -> None:
    db = str(tmp_path / "radar.db")
    code = (f"import sys; from radar.cli import main; code = main(['--db', sys.argv[1], *{command!r}])\n"
            "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'sqlmodel' or m == 'radar.models'))")
    first = subprocess.run([sys.executable, "-c", code, db], capture_output=True, text=True)  # creates the schema
    assert first.returncode == 0, first.stderr
    out = subprocess.run([sys.executable, "-c", code, db], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "0 []"
