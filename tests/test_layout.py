"""The package's layout: which folders may import which, and no import cycles.

Every module's source is read with :mod:`ast`; nothing is imported, and an import inside a
function counts as much as one at the top of the file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "voicecoach"

ImportGraph = dict[str, set[str]]
"""Module name -> the names it imports (voicecoach modules and outside ones alike)."""


def module_name(path: Path, package: Path) -> str:
    """``voicecoach/cli/main.py`` -> ``voicecoach.cli.main``; a package's ``__init__`` is
    the package."""
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(tree: ast.Module, module: str, is_package: bool, known: set[str]) -> set[str]:
    """What ``module`` imports, anywhere in its source.

    ``from a.b import c`` names the module ``a.b.c`` when there is one, else ``a.b``.
    """
    names: set[str] = set()
    here = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                names.add(candidate if candidate in known else base)
    return names


def import_graph(package: Path = PACKAGE) -> ImportGraph:
    """Every module of ``package`` and what it imports."""
    files = {module_name(path, package): path for path in sorted(package.rglob("*.py"))}
    known = set(files)
    return {
        module: imported_names(ast.parse(path.read_text(encoding="utf-8"), str(path)), module,
                               path.name == "__init__.py", known)
        for module, path in files.items()
    }


def cycles(graph: ImportGraph) -> list[list[str]]:
    """The groups of the package's modules that import each other, round and round
    (Tarjan's strongly connected components of more than one module, or a self-import)."""
    edges = {module: sorted(name for name in names if name in graph)
             for module, names in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in edges[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in edges[module]:
                found.append(sorted(group))

    for module in edges:
        if module not in index:
            visit(module)
    return found


def within(name: str, *packages: str) -> bool:
    """Whether ``name`` is one of ``packages`` or inside one."""
    return any(name == package or name.startswith(package + ".") for package in packages)


def offending(graph: ImportGraph, importer: Callable[[str], bool],
              forbidden: Callable[[str], bool]) -> list[str]:
    """``module -> name`` for every import, by a module ``importer`` accepts, of a name
    ``forbidden`` accepts."""
    return sorted(f"{module} -> {name}" for module, names in graph.items() if importer(module)
                  for name in names if forbidden(name))


def test_the_graph_sees_every_folder_and_imports_inside_functions() -> None:
    graph = import_graph()
    folders = {module.split(".")[1] for module in graph if module.count(".") >= 2}
    assert {"core", "storage", "audio", "speech_in", "speech_out", "drivers", "frontends",
            "cli"} <= folders
    assert "argparse" in graph["voicecoach.cli.main"]
    # main imports its handlers inside functions, so `voicecoach check` starts quickly.
    assert "voicecoach.cli.wiring" in graph["voicecoach.cli.main"]


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("def f():\n    from .. import a\n")
    (package / "c.py").write_text("import pkg.a\n")
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.sub.b"]]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_only_the_command_line_uses_argparse_or_imports_the_cli() -> None:
    def outside_the_cli(module: str) -> bool:
        return not within(module, "voicecoach.cli", "voicecoach.__main__")

    def argparse_or_cli(name: str) -> bool:
        return within(name, "argparse", "voicecoach.cli")

    assert offending(import_graph(), outside_the_cli, argparse_or_cli) == []


def test_the_core_imports_nothing_from_the_other_folders() -> None:
    def in_core(module: str) -> bool:
        return within(module, "voicecoach.core")

    def voicecoach_outside_core(name: str) -> bool:
        return within(name, "voicecoach") and not in_core(name)

    assert offending(import_graph(), in_core, voicecoach_outside_core) == []


def test_storage_and_audio_import_no_speech_drivers_front_ends_or_cli() -> None:
    def storage_or_audio(module: str) -> bool:
        return within(module, "voicecoach.storage", "voicecoach.audio")

    def above_them(name: str) -> bool:
        return within(name, "voicecoach.speech_in", "voicecoach.speech_out",
                      "voicecoach.drivers", "voicecoach.frontends", "voicecoach.cli")

    assert offending(import_graph(), storage_or_audio, above_them) == []


def test_front_ends_do_not_import_the_cli() -> None:
    def front_end(module: str) -> bool:
        return within(module, "voicecoach.frontends")

    def cli(name: str) -> bool:
        return within(name, "voicecoach.cli")

    assert offending(import_graph(), front_end, cli) == []
