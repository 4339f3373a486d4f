"""The house's one rule of imports: data flows read -> clean -> extract -> pipeline -> resolve -> store -> serve, and
imports follow it. Every import in `src/coopwatch` counts, those inside functions too: a module imports only from
its own layer or below, and no two modules import each other, directly or round a longer circle. Command and bench
modules sit on top and may wire anything.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "coopwatch"

# module name prefix -> layer, most specific first; a module on top may import anything
LAYERS = [
    ("coopwatch.document", 0), ("coopwatch.data", 0), ("coopwatch.dates", 0), ("coopwatch.focus", 0),
    ("coopwatch.read", 1), ("coopwatch.clean", 1), ("coopwatch.language", 1),
    ("coopwatch.extract", 2), ("coopwatch.nlp", 2),
    ("coopwatch.pipeline", 3), ("coopwatch.parallel", 3),
    ("coopwatch.resolve", 4),
    ("coopwatch.store", 5),
    ("coopwatch.spark", 6), ("coopwatch.spark_resolve", 6), ("coopwatch.web", 6), ("coopwatch.scale", 6),
]
TOP = 9
ON_TOP = ("coopwatch.cli", "coopwatch.bench", "coopwatch.__init__", "coopwatch")  # and every *.commands / *.bench


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    last = module.rsplit(".", 1)[-1]
    if module in ON_TOP or last in ("commands", "bench"):
        return TOP
    return next(n for prefix, n in LAYERS if module == prefix or module.startswith(prefix + "."))


def imports() -> dict[str, set[str]]:
    """Each module's coopwatch imports, resolved to module names (a name imported from a package that is a
    module of it counts as that module)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    out: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    found.add(full if full in modules else target)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        out[name] = {m for m in found if m in modules and m != name}
    return out


def test_no_module_imports_from_a_layer_above_its_own():
    upward = sorted(f"{m} -> {t}" for m, targets in imports().items() for t in targets if layer(t) > layer(m))
    assert upward == []


def test_no_modules_import_each_other_round_a_circle():
    graph = imports()
    circles = []

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in path:
                circles.append(path[path.index(target):] + [target])
            elif layer(target) <= layer(node) and len(path) < 12:
                visit(target, path + [target])

    for start in sorted(graph):
        visit(start, [start])
    # a package's __init__ re-exporting its own modules is no circle
    circles = [c for c in circles if not all(c[0].startswith(m) or m.startswith(c[0]) for m in c)]
    assert circles == []


def test_the_layers_cover_every_module():
    assert all(layer(m) is not None for m in imports())
