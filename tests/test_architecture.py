"""The rules the package's layout depends on, checked on the source (no module is run).

Data flows one way (files -> text -> parsed documents -> records -> store -> views ->
renderers -> CLI); only the skin (``ofstl/cli``, ``ofstl/render``) talks to people. These
tests fail when a change breaks that: a library module importing typer or rich, printing,
writing the environment; one module reaching into another's private names; a module
growing past 400 lines or losing the docstring that says why it exists.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ofstl

PACKAGE = Path(ofstl.__file__).parent
SKIN = {PACKAGE / "cli", PACKAGE / "render"}
MODULES = sorted(PACKAGE.rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _library() -> list[Path]:
    return [p for p in MODULES if not any(p.is_relative_to(s) for s in SKIN)]


def test_only_the_skin_imports_typer_or_rich() -> None:
    offenders = []
    for path in _library():
        for node in ast.walk(_tree(path)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] in ("typer", "rich", "click") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_renderers_are_pure_functions_of_view_data() -> None:
    """Renderers lay out what the views worked out: they never ask the views, the store or
    the theme tagger for anything themselves."""
    offenders = []
    for path in sorted((PACKAGE / "render").rglob("*.py")):
        for node in ast.walk(_tree(path)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n in ("ofstl.views", "ofstl.diff_view", "ofstl.theme_tagger", "ofstl.themes", "ofstl.theme_cache", "ofstl.store") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_no_module_imports_another_modules_underscore_names() -> None:
    offenders = []
    for path in MODULES:
        for node in ast.walk(_tree(path)):
            # The project's own modules (the standard library's private regex parser, which the
            # taxonomy check needs, is Python's business).
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "ofstl":
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                module_private = any(part.startswith("_") and not part.startswith("__") for part in (node.module or "").split("."))
                if private or module_private:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.module} {private}")
    assert offenders == []


def _writes(node: ast.AST) -> str | None:
    """What a node writes to that the library must not: stdout, stderr, the environment."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "input"):
        return node.func.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys" and node.attr in ("stdout", "stderr"):
        return f"sys.{node.attr}"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" and node.attr in ("putenv", "unsetenv"):
        return f"os.{node.attr}"
    environ = lambda n: isinstance(n, ast.Attribute) and n.attr == "environ" and isinstance(n.value, ast.Name) and n.value.id == "os"  # noqa: E731
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        if any(isinstance(t, ast.Subscript) and environ(t.value) for t in targets):
            return "os.environ[...] ="
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and environ(node.func.value) and node.func.attr in (
            "update", "setdefault", "pop", "clear", "popitem"):
        return f"os.environ.{node.func.attr}"
    return None


def test_the_library_never_prints_or_writes_the_environment() -> None:
    offenders = []
    for path in _library():
        for node in ast.walk(_tree(path)):
            what = _writes(node)
            if what:
                offenders.append(f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', '?')} {what}")
    assert offenders == []


def test_the_check_itself_finds_what_it_looks_for() -> None:
    source = "import os, sys\nprint(1)\nsys.stderr.write('x')\nos.environ['A'] = '1'\nos.environ.update(B='2')\n"
    found = {w for node in ast.walk(ast.parse(source)) if (w := _writes(node))}
    assert found == {"print", "sys.stderr", "os.environ[...] =", "os.environ.update"}


def test_every_module_is_short_and_says_why_it_exists() -> None:
    long = [f"{p.relative_to(PACKAGE)}: {n}" for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) >= 400]
    assert long == []
    undocumented = [str(p.relative_to(PACKAGE)) for p in MODULES
                    if p.stat().st_size and len((ast.get_docstring(_tree(p)) or "").split()) < 8]
    assert undocumented == []


def test_near_misses_are_worked_out_in_one_place() -> None:
    """Every "did you mean" (an authority, a correction's key or grade, a theme) asks
    ``ofstl.errors.near_misses``: one module imports difflib."""
    importers = sorted(str(path.relative_to(PACKAGE)) for path in MODULES
                       if any(isinstance(node, (ast.Import, ast.ImportFrom))
                              and ("difflib" in [a.name for a in node.names] if isinstance(node, ast.Import) else node.module == "difflib")
                              for node in ast.walk(_tree(path))))
    assert importers == ["errors.py"], importers
