"""Code versions per stage: a hash of exactly the code and declarations a stage uses, so an edit to one
stage (the report's HTML, the figure parser) leaves every other stage's version, cache and Dagster
``code_version`` as it was (OWID's per-step checksum).

:func:`function_version` is the version of one function — an asset's body, a per-document step:

- its own source, and that of the functions and classes of its own module that it uses, followed
  name by name;
- every package module it uses from another module (a function, a class or the module itself) with
  all the package modules that module imports, lazily or not (the import closure, read from the
  source, not from what happens to be imported);
- the *values* it takes from a declaration module (:data:`DECLARATIONS`: a ``Dataset`` declaration, a
  constant), not the whole file, so adding a column to one dataset changes the stages of that dataset;
- the files a module declares in ``VERSION_FILES`` (committed mappings, expectation suites).

Sources are hashed as tokens without comments, docstrings or blank lines: a reworded docstring or
comment changes no version. A name looked up dynamically (``getattr``, a string) is not seen: stages
call their helpers by name, which is what this relies on.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import io
import re
import sys
import tokenize
import types
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE = "pipeline"
PACKAGE_DIR = Path(__file__).resolve().parent
# modules of declared values: a stage depends on the values it imports from them, not on the file
DECLARATIONS = frozenset({"pipeline.metadata.datasets"})
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING}


@cache  # the modules do not change while the process runs; a code location is built many times
def normalized(source: str) -> str:
    """The source's tokens without comments, docstrings and blank lines, one token per line."""
    out: list[str] = []
    previous = tokenize.NEWLINE  # a string right after a statement boundary is a docstring candidate
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    # the type of the next token that is not skipped, for each token (one pass from the end)
    following = [tokenize.ENDMARKER] * len(tokens)
    upcoming = tokenize.ENDMARKER
    for index in range(len(tokens) - 1, -1, -1):
        following[index] = upcoming
        if tokens[index].type not in SKIPPED:
            upcoming = tokens[index].type
    for index, token in enumerate(tokens):
        if token.type in SKIPPED:
            continue
        starts_statement = previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
        ends_statement = following[index] in (tokenize.NEWLINE, tokenize.ENDMARKER)
        if token.type == tokenize.STRING and starts_statement and ends_statement:
            previous = tokenize.NEWLINE
            continue  # a statement that is only a string: a docstring
        if token.type == tokenize.NEWLINE and previous == tokenize.NEWLINE:
            continue
        out.append(f"{tokenize.tok_name[token.type]} {token.string}")
        previous = token.type
    return "\n".join(out)


def _in_package(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _module_path(name: str) -> Path | None:
    base = PACKAGE_DIR.parent.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@cache
def _module_imports(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(module, names) of every package import in module ``name``'s source, anywhere in the file."""
    path = _module_path(name)
    if path is None:
        return ()
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, ()) for a in node.names if _in_package(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and _in_package(node.module):
            submodules = [a.name for a in node.names if _module_path(f"{node.module}.{a.name}")]
            found += [(f"{node.module}.{s}", ()) for s in submodules]
            names = tuple(a.name for a in node.names if a.name not in submodules)
            found.append((node.module, names))
    return tuple(found)


class _Collector:
    """What one version is made of: sources of functions, modules of the closure, declared values."""

    def __init__(self) -> None:
        self.parts: dict[str, str] = {}
        self.modules: set[str] = set()
        self.seen: set[int] = set()

    # -- functions and classes followed name by name -------------------------------------------------
    def function(self, function: Callable[..., Any]) -> None:
        if id(function) in self.seen:
            return
        self.seen.add(id(function))
        self.parts[f"source {function.__module__}.{function.__qualname__}"] = normalized(_dedented_source(function))
        self._follow(function)

    def _follow(self, function: Callable[..., Any]) -> None:
        """The names ``function`` uses: globals of its module and values its factory closed over."""
        home = function.__module__
        namespace = getattr(function, "__globals__", {})
        for name in sorted(_global_names(function.__code__)):
            if name in namespace:
                self.value(namespace[name], f"{home}.{name}", home)
        # values a factory closed over (the dataset and parser of one of several assets built alike);
        # registry-derived values (sources, asset keys) are data, not code, and are left out
        for name, cell in zip(function.__code__.co_freevars, function.__closure__ or (), strict=True):
            content = cell.cell_contents
            code_like = isinstance(content, str | int | float | bool) or _in_package(type(content).__module__)
            if code_like or inspect.isfunction(content) or inspect.isclass(content):
                self.value(content, f"{function.__qualname__}.{name}", home)

    def klass(self, klass: type) -> None:
        if id(klass) in self.seen:
            return
        self.seen.add(id(klass))
        self.parts[f"source {klass.__module__}.{klass.__qualname__}"] = normalized(_dedented_source(klass))
        defined_in = inspect.getfile(klass)
        for member in vars(klass).values():
            inner = getattr(member, "fget", None) or getattr(member, "__func__", member)
            # methods written in the class body (their source is in the class's); not generated ones
            if inspect.isfunction(inner) and inner.__code__.co_filename == defined_in:
                self._follow(inner)

    def value(self, value: Any, label: str, home: str) -> None:
        if isinstance(value, types.ModuleType):
            if _in_package(value.__name__):
                self.module(value.__name__)
        elif inspect.isfunction(value) or inspect.isclass(value):
            module = value.__module__
            if not _in_package(module):
                return
            if module == home or module in DECLARATIONS:
                self.klass(value) if inspect.isclass(value) else self.function(value)
            else:
                self.module(module)
        elif isinstance(value, list | tuple | dict | set | frozenset):
            items = list(value.values()) if isinstance(value, dict) else list(value)
            if isinstance(value, set | frozenset):
                items.sort(key=_stable_repr)
            for index, item in enumerate(items):
                self.value(item, f"{label}[{index}]", home)
            self.parts[f"value {label}"] = _stable_repr(value)
        elif not callable(value):
            self.parts[f"value {label}"] = _stable_repr(value)

    # -- modules, with their import closure ----------------------------------------------------------
    def module(self, name: str) -> None:
        if name in self.modules or name in DECLARATIONS:
            return
        self.modules.add(name)
        path = _module_path(name)
        if path is None:
            return
        self.parts[f"module {name}"] = normalized(path.read_text(encoding="utf-8"))
        loaded = sys.modules.get(name) or importlib.import_module(name)
        for file in getattr(loaded, "VERSION_FILES", ()):
            self.file(Path(file))
        for module, names in _module_imports(name):
            if module in DECLARATIONS:
                declared = importlib.import_module(module)
                for imported in names:
                    self.value(getattr(declared, imported), f"{module}.{imported}", module)
            else:
                self.module(module)

    def file(self, path: Path) -> None:
        self.parts[f"file {path.name}"] = hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()

    def digest(self) -> str:
        blob = "\0".join(f"{k}\0{v}" for k, v in sorted(self.parts.items()))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _stable_repr(value: Any) -> str:
    """``repr`` without what differs between processes and checkouts (addresses, the project's path)."""
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))
    return text.replace(str(PACKAGE_DIR.parent), "<project>")


def _dedented_source(obj: Any) -> str:
    lines = inspect.getsource(obj).splitlines(keepends=True)
    indent = len(lines[0]) - len(lines[0].lstrip())
    return "".join(line[indent:] if line[:indent].isspace() else line.lstrip() for line in lines)


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _global_names(constant)
    return names


@cache
def function_version(function: Callable[..., Any], *, files: tuple[Path, ...] = ()) -> str:
    """The version of ``function`` (see the module docstring), with ``files`` hashed in too."""
    collector = _Collector()
    collector.function(function)
    for path in files:
        collector.file(path)
    return collector.digest()


def module_version(*modules: str, files: Iterable[Path] = ()) -> str:
    """The version of whole modules with their import closure (the CLI's view of "the code")."""
    collector = _Collector()
    for name in modules:
        collector.module(name)
    for path in files:
        collector.file(path)
    return collector.digest()


def combined_version(versions: dict[str, str]) -> str:
    """One version for several stages (the release's code), from their names and versions."""
    blob = "\0".join(f"{k}={v}" for k, v in sorted(versions.items()))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
