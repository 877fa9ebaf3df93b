"""Imports point downward only: a module imports its own layer or the layers below it; and
only the store (with radar.db and the migrations) opens database connections and sessions.

Read from the source with `ast` (every import, also those inside functions and under
TYPE_CHECKING): import-linter's graph (grimp) walks the folder of one package, and
radar.models and radar.spiders install from models/ and spiders/ beside it.
"""
import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"radar": ROOT / "radar", "radar.models": ROOT / "models", "radar.spiders": ROOT / "spiders"}

# Lowest first. A module's layer is that of the longest name here that it starts with.
LAYERS: list[tuple[str, ...]] = [
    # What every stage may use: words, text, files, the stop flag.
    ("radar.__init__", "radar.errors", "radar.vocabulary", "radar.titles", "radar.text", "radar.terminal",
     "radar.stop", "radar.writers", "radar.json_lines", "radar.retry_after", "radar.shared_corpus",
     "radar.catalog_files", "radar.catalog", "radar.processes"),
    # Configuration and the database. The need model's parser is configuration too: settings
    # validate [ranking.needs] with it.
    ("radar.settings", "radar.clock", "radar.db", "radar.models", "radar.light_tables", "radar.store",
     "radar.industries", "radar.migrations", "radar.rank.needs"),
    # The stages, each above what it builds on.
    ("radar.spiders",),
    ("radar.entities", "radar.sources"),
    # Organization facts are read with the NLP's publisher list (radar.nlp.grounding): they sit
    # beside the NLP, above the entities they resolve into.
    ("radar.nlp", "radar.contacts", "radar.rank", "radar.entities.facts", "radar.entities.profile"),
    ("radar.extract", "radar.digest", "radar.export", "radar.queries", "radar.profiles"),
    # The one chain of the stages, then what runs it.
    ("radar.pipeline",),
    ("radar.demo", "radar.demo_data", "radar.service", "radar.worker", "radar.status"),
    ("radar.cli", "radar.__main__", "radar.settings_doc"),
]


def module_files() -> Iterator[tuple[str, Path]]:
    for package, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            rel = path.relative_to(folder).with_suffix("")
            if rel.parts[:2] == ("migrations", "versions"):
                continue
            parts = list(rel.parts)
            if parts[-1] == "__init__" and len(parts) > 1:
                parts.pop()
            yield ".".join([package, *parts]), path


def layer(name: str) -> int:
    best = max(((len(p), i) for i, group in enumerate(LAYERS) for p in group
                if name == p or name.startswith(p + ".")), default=None)
    assert best is not None, f"{name} is in no layer: add it to LAYERS in tests/test_layers.py"
    return best[1]


def imports(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names if a.name.startswith("radar"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("radar"):
            # `from radar import pipeline` imports radar.pipeline; `from radar.x import name`, radar.x.
            for a in node.names:
                yield node.lineno, f"{node.module}.{a.name}" if node.module == "radar" else str(node.module)


def test_every_module_has_a_layer() -> None:
    for name, _ in module_files():
        layer(name)


def test_imports_point_downward() -> None:
    wrong = []
    for name, path in module_files():
        mine = layer(name)
        for line, target in imports(path):
            if target == "radar.__version__":
                target = "radar.__init__"
            if layer(target) > mine:
                wrong.append(f"{path.relative_to(ROOT)}:{line} {name} imports {target}, a higher layer")
    assert not wrong, "\n".join(wrong)


# Where connections and sessions may be opened: store functions hold them for the stages
# (radar.store says how a stage holds one across several store calls: `transaction`,
# `reading`, `job_transaction`); radar.db makes the engine and migrates.
OPENERS_ALLOWED = ("radar.store", "radar.db", "radar.migrations")
# Calls that open a connection or a session, by name: a method of an engine, or a constructor.
OPENING_METHODS = {"connect", "begin", "raw_connection"}
OPENING_CALLS = {"Session", "sessionmaker", "session_scope", "create_engine", "inspect"}
# Calls of those names that open nothing in the database, as "file:receiver.method".
NOT_THE_DATABASE = {"spiders/scrapy_run.py:crawler.signals.connect"}  # a Scrapy signal handler


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def openings(path: Path) -> Iterator[tuple[int, str]]:
    """Each call in the file that opens a database connection or session, by the names above."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        last = name.rpartition(".")[2]
        if (isinstance(node.func, ast.Attribute) and last in OPENING_METHODS) or last in OPENING_CALLS:
            yield node.lineno, name


def test_only_the_store_opens_connections() -> None:
    wrong = []
    for name, path in module_files():
        if any(name == p or name.startswith(p + ".") for p in OPENERS_ALLOWED):
            continue
        rel = path.relative_to(ROOT).as_posix()
        for line, call in openings(path):
            if f"{rel}:{call}" not in NOT_THE_DATABASE:
                wrong.append(f"{rel}:{line} {call}(): call a radar.store function instead")
    assert not wrong, "\n".join(wrong)


def test_the_opening_check_sees_an_opening(tmp_path: Path) -> None:
    """The check above finds what it looks for (it reads names, not types)."""
    code = ("def f(engine, s):\n    with engine.connect() as c:\n        pass\n"
            "    with Session(engine) as s:\n        pass\n    with self.engine.begin():\n        pass\n")
    (tmp_path / "m.py").write_text(code, encoding="utf-8")
    assert [call for _, call in openings(tmp_path / "m.py")] == ["engine.connect", "Session", "self.engine.begin"]
