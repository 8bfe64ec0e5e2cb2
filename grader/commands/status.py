"""``python -m grader status``: every lesson, its best and latest score, and what to do next."""

from __future__ import annotations

import argparse
import time

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from grader.exitcodes import EXIT_PASSED
from grader.selfstudy import hints as selfstudy
from grader.selfstudy import store


def parser() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog="python -m grader status",
        description="Show your progress on every lesson, as recorded in .grader/ in this folder.",
    )


def when(run: store.Run) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(run.finished_at))


def score(run: store.Run) -> str:
    result = run.result
    return f"{result.score:g}/{result.max_score:g} ({result.share:.0%})"


class StatusView:
    """One block per lesson: title, scores and the next step."""

    def __init__(self, lessons: list[selfstudy.LessonProgress]) -> None:
        self.lessons = lessons

    def line(self, entry: selfstudy.LessonProgress) -> Text:
        if entry.latest is None:
            return Text("not started · never graded", style="cyan")
        if entry.not_started:
            return Text(f"not started · last graded {when(entry.latest)}", style="cyan")
        style = "green" if entry.done else "yellow"
        text = Text()
        if entry.best is not None:
            text.append(f"best {score(entry.best)}", style=f"bold {style}")
            text.append(f" ({when(entry.best)}) · ")
        text.append(f"latest {score(entry.latest)}", style=style)
        text.append(f" ({when(entry.latest)})")
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for entry in self.lessons:
            mark = "✔" if entry.done else "○" if entry.not_started else "…"
            yield Text.assemble((f"{mark} {entry.lesson.id}", "bold"), f"  {entry.lesson.title}")
            yield Text.assemble("    ", self.line(entry))
            yield Text.assemble("    next: ", (entry.next_step(), "dim"))


def run(argv: list[str], console: Console) -> int:
    parser().parse_args(argv)
    console.print(StatusView(selfstudy.progress(selfstudy.course_folder())))
    return EXIT_PASSED
