"""GitHub Actions: a Markdown scorecard for the step summary, and workflow commands.

Workflow commands are lines on stdout that start with ``::``.  Everything the
learner controls (what their code printed, their exception messages) is either
escaped (inside a command) or wrapped between ``::stop-commands::TOKEN`` and
``::TOKEN::`` with a token made after their code has run, so that no line of
theirs can act as a command.
"""

from __future__ import annotations

import ast
import html
import re
import secrets
from collections.abc import Mapping

from grader.outputs import mermaid
from grader.outputs.scorecard import LABELS, points
from grader.results import CheckResult, RunResult, RunStatus, Status

ANNOTATED = {
    Status.FAILED: "error",
    Status.ERROR: "error",
    Status.TIMEOUT: "error",
    Status.NOT_ATTEMPTED: "warning",
}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# --- Markdown for $GITHUB_STEP_SUMMARY ------------------------------------------------------


def md(text: str) -> str:
    """``text`` as literal Markdown on one line: no markup, links or HTML of its own."""
    text = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
    escaped = _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
    return "<br>".join(escaped.splitlines())


def fenced(text: str) -> str:
    """``text`` in a code block whose fence no backtick run inside it can close."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _row(check: CheckResult) -> str:
    label = LABELS[check.status][0]
    body = md(check.title)
    if check.message and not check.passed:
        body += "<br>" + md(check.message)
    return f"| {label} | {body} | {points(check.points)}/{points(check.max_points)} |"


def summary(result: RunResult) -> str:
    """The scorecard as Markdown for the job's summary page."""
    share = result.share
    mark = {RunStatus.PASSED: "✔", RunStatus.FAILED: "✘"}.get(result.status, "!")
    lines = [
        f"## {mark} {md(result.lesson)} · {md(result.title)}: "
        f"{points(result.score)}/{points(result.max_score)} ({share:.0%})",
        "",
        f"{md(result.submission)} · seed {result.seed} · grader {md(result.grader_version)}",
        "",
    ]
    lines += [f"> **Note:** {md(note)}\n" for note in result.notes]
    if result.fault is not None:
        lines += ["**The grader could not grade this submission (its fault, not yours).**", ""]
        lines += [fenced(result.fault), ""]
    lines += ["| status | check | points |", "|---|---|---:|"]
    lines += [_row(check) for check in result.checks]
    if training := mermaid.charts(result.checks):
        lines += ["", "### Training", ""]
        lines += [block + "\n" for block in training]
    problems = [
        c for c in result.checks if c.details and c.status in (Status.ERROR, Status.TIMEOUT)
    ]
    if problems:
        lines += ["", "### What went wrong"]
        for check in problems:
            lines += ["", f"**{md(check.id)}**", "", fenced(check.details or "")]
    hints = [c for c in result.checks if c.status is Status.FAILED and c.hint]
    if hints:
        lines += ["", "### Hints", ""]
        lines += [f"- **{md(c.id)}**: {md(c.hint or '')}" for c in hints]
    return "\n".join(lines) + "\n"


# --- Workflow commands on stdout --------------------------------------------------------


def escape_data(text: str) -> str:
    """A command's message, so that it stays on one line and means only itself."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value (``file=``, ``title=``…)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def new_token() -> str:
    """A stop-commands token nobody can have guessed in advance."""
    return secrets.token_hex(16)


def inert(text: str, token: str) -> str:
    """``text`` between stop-commands markers: no line of it runs as a command."""
    if token in text:  # cannot happen with a fresh token; refuse rather than leak
        raise ValueError("the stop-commands token occurs in the text it protects")
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"::stop-commands::{token}\n{body}::{token}::\n"


def function_lines(source: str) -> dict[str, int]:
    """Where each top-level function is defined, read with ``ast`` (nothing is run)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    return {
        node.name: node.lineno
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _line(result: RunResult, check: CheckResult, definitions: Mapping[str, int]) -> int | None:
    """The learner's line for ``check``: where their code raised, else the function it is about."""
    if check.details:
        frames = re.findall(r'File "([^"]+)", line (\d+)', check.details)
        mine = [int(line) for file, line in frames if file == result.submission]
        if mine:
            return mine[-1]
    for text in (check.title, check.message or ""):
        for word in _IDENTIFIER.findall(text):
            if word in definitions:
                return definitions[word]
    return None


def annotations(result: RunResult, definitions: Mapping[str, int] | None = None) -> list[str]:
    """One ``::error`` (or ``::warning`` for a to-do) per check that did not pass, then the score.

    ``definitions`` maps the submission's function names to their lines
    (``function_lines``), so an annotation can point at the function a check is about.
    """
    definitions = definitions or {}
    lines = []
    for check in result.checks:
        kind = ANNOTATED.get(check.status)
        if kind is None:
            continue
        where = f"file={escape_property(result.submission)}"
        line = _line(result, check, definitions)
        if line is not None:
            where += f",line={line}"
        title = f"{check.title} ({points(check.points)}/{points(check.max_points)})"
        text = check.message or LABELS[check.status][0]
        if check.hint and check.status is Status.FAILED:
            text += f"\nHint: {check.hint}"
        lines.append(f"::{kind} {where},title={escape_property(title)}::{escape_data(text)}")
    if result.fault is not None:
        lines.append(
            f"::error title={escape_property('The grader could not grade')}::"
            f"{escape_data(result.fault)}"
        )
    score = f"{points(result.score)}/{points(result.max_score)}"
    lines.append(
        f"::notice title={escape_property(f'{result.lesson} score')}::"
        f"{escape_data(f'{result.lesson}: {score} ({result.status.value})')}"
    )
    return lines
