"""Collecting a notebook's definitions from the kernel, as cells of a notebook to grade.

``check()`` (``jupyter.py``) grades what the learner defined in the kernel:
the functions' source, the imports and plain values they use, and the other
names a notebook gives them. Nothing here runs learner code.
"""

from __future__ import annotations

import ast
import dis
import inspect
import sys
import textwrap
import types
from dataclasses import dataclass
from typing import Any

MAX_LITERAL = 100_000
"""Longest ``repr`` of a plain value carried over from the kernel."""
PLAIN_TYPES = (type(None), bool, int, float, complex, str, bytes, list, tuple, dict, set)
IMPORTS_LABEL = "the notebook's imports and values"
ALIASES_LABEL = "the notebook's other names for its functions"


@dataclass(frozen=True)
class Piece:
    """Source collected from the kernel, as one cell of the notebook that is graded."""

    label: str
    """Where it came from, for tracebacks: ``In[5]``."""
    source: str
    """The code; a definition keeps its line numbers within its cell."""


@dataclass(frozen=True)
class Collected:
    pieces: tuple[Piece, ...]
    notes: tuple[str, ...]


def _globals_used(code: types.CodeType) -> set[str]:
    """Global names that ``code`` (and the functions nested in it) read."""
    names = {
        str(ins.argval)
        for ins in dis.get_instructions(code)
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME")
    }
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _globals_used(const)
    return names


def _header_names(source: str) -> set[str]:
    """Names a ``def``/``class`` evaluates where it is defined: decorators, defaults, bases."""
    try:
        node = ast.parse(source).body[0]
    except (SyntaxError, IndexError):
        return set()
    parts: list[ast.AST] = list(getattr(node, "decorator_list", []))
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = node.args
        parts += [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        parts += [a.annotation for a in every if a is not None and a.annotation is not None]
        parts += [node.returns] if node.returns is not None else []
    elif isinstance(node, ast.ClassDef):
        parts += [*node.bases, *(k.value for k in node.keywords)]
    return {n.id for part in parts for n in ast.walk(part) if isinstance(n, ast.Name)}


def _names_needed(value: Any, source: str) -> set[str]:
    codes = [value.__code__] if isinstance(value, types.FunctionType) else []
    if isinstance(value, type):
        codes = [f.__code__ for f in vars(value).values() if isinstance(f, types.FunctionType)]
    names = _header_names(source)
    for code in codes:
        names |= _globals_used(code)
    return names


def _label(name: str, value: Any, shell: Any) -> str:
    code = getattr(value, "__code__", None)
    if code is not None and shell is not None:
        try:
            named = shell.compile.format_code_name(code.co_filename)
        except Exception:
            named = None
        if named:
            return str(named[1])
    return f"the cell defining {name}"


def _definition(name: str, value: Any, shell: Any) -> Piece | None:
    """The source of a function or class defined in the notebook, at its line in its cell."""
    try:
        lines, first = inspect.getsourcelines(value)
    except (OSError, TypeError):
        return None
    source = textwrap.dedent("".join(lines))
    if value.__name__ != name and not _assigns(source, name):
        return None
    return Piece(_label(name, value, shell), "\n" * max(first - 1, 0) + source.rstrip() + "\n")


def _assigns(source: str, name: str) -> bool:
    """Whether ``source`` is ``name = lambda …`` (a lambda's source is its whole statement)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return (
        len(body) == 1
        and isinstance(body[0], ast.Assign)
        and [getattr(t, "id", None) for t in body[0].targets] == [name]
    )


def _literal(value: Any) -> str | None:
    """``repr(value)`` when it reads back as the same plain value."""
    if type(value).__module__ == "numpy" and type(value).__name__ == "ndarray":
        if value.dtype.kind not in "biuf" or value.size > MAX_LITERAL // 10:
            return None
        data = _literal(value.tolist())
        return None if data is None else f"__import__('numpy').array({data}, dtype='{value.dtype}')"
    if type(value) not in PLAIN_TYPES:
        return None
    if isinstance(value, (list, tuple, dict, set)) and len(value) > MAX_LITERAL // 10:
        return None
    text = repr(value)
    try:
        same = len(text) <= MAX_LITERAL and ast.literal_eval(text) == value
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return text if same else None


def _value_source(name: str, value: Any, own_module: str) -> str | None:
    """A line that recreates ``name`` in a fresh module, or ``None``."""
    if isinstance(value, types.ModuleType):
        module = value.__name__
        return f"import {module}" if module == name else f"import {module} as {name}"
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    importable = (
        isinstance(module, str)
        and isinstance(qualname, str)
        and module != own_module
        and getattr(sys.modules.get(module), qualname, None) is value
    )
    if importable:
        alias = "" if qualname == name else f" as {name}"
        return f"from {module} import {qualname}{alias}"
    literal = _literal(value)
    return None if literal is None else f"{name} = {literal}"


def collect(namespace: dict[str, Any], shell: Any = None) -> Collected:
    """The learner's functions and classes in ``namespace``, with the names they use."""
    own = str(namespace.get("__name__", "__main__"))
    definitions: dict[str, Piece] = {}
    needed: dict[str, set[str]] = {}
    lost: list[str] = []
    aliases: list[str] = []
    for name, value in list(namespace.items()):
        if name.startswith("_") or not isinstance(value, (types.FunctionType, type)):
            continue
        if getattr(value, "__module__", None) != own:
            continue
        if value.__name__ != name and namespace.get(value.__name__) is value:
            aliases.append(f"{name} = {value.__name__}")
            continue
        piece = _definition(name, value, shell)
        if piece is None:
            lost.append(f"{name} (its source could not be found; define it with def in a cell)")
            continue
        definitions[name] = piece
        for used in _names_needed(value, piece.source):
            needed.setdefault(used, set()).add(name)
    lines = []
    for used in sorted(needed):
        if used in definitions or used not in namespace:
            continue
        line = _value_source(used, namespace[used], own)
        if line is None:
            users = ", ".join(sorted(needed[used]))
            lost.append(f"{used} ({type(namespace[used]).__name__}, used by {users})")
        else:
            lines.append(line)
    lines.sort(key=lambda line: not line.startswith(("import ", "from ")))
    pieces = [Piece(IMPORTS_LABEL, "\n".join(lines) + "\n")] if lines else []
    pieces += definitions.values()
    pieces += [Piece(ALIASES_LABEL, "\n".join(aliases) + "\n")] if aliases else []
    return Collected(tuple(pieces) or (Piece(IMPORTS_LABEL, "pass\n"),), _notes(definitions, lost))


def _notes(definitions: dict[str, Piece], lost: list[str]) -> tuple[str, ...]:
    if definitions:
        found = ", ".join(f"{name} ({piece.label})" for name, piece in definitions.items())
        notes = [f"Graded what this notebook's kernel defines: {found}."]
    else:
        notes = ["This notebook defines no functions yet: run the cells that define them first."]
    if lost:
        notes.append(
            "Not carried over to the grader (define these inside your functions or in a "
            "cell of their own): " + "; ".join(lost) + "."
        )
    return tuple(notes)
