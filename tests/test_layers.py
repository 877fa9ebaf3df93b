"""Imports point downward only: a module imports its own layer or the layers below it.

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
     "radar.catalog_files", "radar.catalog"),
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
