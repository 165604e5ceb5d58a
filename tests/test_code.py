"""The code base stays ruff-clean and free of import circles."""

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_ruff_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def imports_of(package: Path) -> dict[str, set[str]]:
    """Each module of a package and the package's modules it imports, anywhere in it."""
    graph: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        here = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found = graph.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = ".".join(here.split(".")[:len(here.split(".")) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
                found |= {f"{target}.{a.name}" if not node.module else target
                          for a in node.names}
    return {m: {t for t in targets if t in graph and t != m} for m, targets in graph.items()}


def test_no_module_imports_in_a_circle():
    graph = imports_of(ROOT / "ext" / "itu")
    assert len(graph) > 15 and sum(map(len, graph.values())) > 20

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n}))
                   for n in graph[start])

    circles = sorted(m for m in graph if m != "itu" and reaches(m, m, set()))
    assert not circles, f"modules in an import circle: {circles}"


def test_the_redline_and_the_policy_load_without_sphinx():
    code = ("import sys; import itu.redline, itu.policy, itu.text; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sphinx'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env={"PYTHONPATH": str(ROOT / "ext")})
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stderr
