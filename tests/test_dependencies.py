"""Every package radar imports is declared in pyproject.toml, not left to whichever dependency
happens to pull it in (httpx arrived through spaCy's project tool once, Twisted through Scrapy)."""
import ast
import importlib.metadata
import re
import sys
import tomllib

from tests.test_layers import ROOT, module_files


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>~!; ]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def test_every_imported_package_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    provided_by = importlib.metadata.packages_distributions()
    undeclared = []
    for name, path in module_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top in sys.stdlib_module_names or top == "radar":
                    continue
                dists = {_name(d) for d in provided_by.get(top, [])}
                if not dists & declared:
                    undeclared.append(f"{path.relative_to(ROOT)}:{node.lineno} {name} imports {top} "
                                      f"(from {', '.join(sorted(dists)) or 'no installed distribution'})")
    assert not undeclared, "\n".join(undeclared)
