"""``--report DIR``: one HTML page per graded run, the scorecard and the run's figures.

``DIR/index.html`` holds the scorecard (Rich's own HTML export, with the
sparklines) and an ``<img>`` per figure; the figures are PNG files beside it
(``figure-1.png`` …).  A figure that cannot be drawn is a line on the page.
The page is written last and atomically, so a reader never sees half a report.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from rich.console import Console

from grader.files import write_atomic
from grader.outputs.figures import Drawing, draw_all
from grader.outputs.scorecard import Scorecard
from grader.results import RunResult

INDEX = "index.html"
WIDTH = 100
"""Columns of the scorecard on the page."""
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 68em; color: #222; }
pre.scorecard { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85em;
  background: #fcfcfc; border: 1px solid #ddd; padding: 1em; overflow-x: auto; }
figure { display: inline-block; margin: 0.5em; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid #eee; }
p.figure-error { color: #a00; }
"""


def scorecard_html(result: RunResult) -> str:
    """The scorecard as a ``<pre>`` block with inline colours."""
    console = Console(
        file=io.StringIO(),
        record=True,
        width=WIDTH,
        color_system="truecolor",
        force_terminal=True,
        force_jupyter=False,
        no_color=False,
    )
    console.print(Scorecard(result))
    return console.export_html(
        inline_styles=True, code_format='<pre class="scorecard">{code}</pre>'
    )


def figure_html(drawing: Drawing, source: str) -> str:
    """One figure as an ``<img>`` (``source`` is its file or data URI), or the error line."""
    title = html.escape(drawing.figure.title)
    if drawing.png is None:
        return f'<p class="figure-error">The figure “{title}” could not be drawn: ' + (
            f"{html.escape(drawing.error or 'no image')}</p>"
        )
    return f'<figure><img src="{html.escape(source)}" alt="{title}"></figure>'


def inline_figures(result: RunResult) -> str:
    """The run's figures as ``<img>`` tags holding their PNGs (for a notebook); ``""`` if none."""
    shown = []
    for drawing in draw_all(result.figures):
        data = base64.b64encode(drawing.png or b"").decode("ascii")
        shown.append(figure_html(drawing, f"data:image/png;base64,{data}"))
    return "\n".join(shown)


def page(result: RunResult, figures: list[str]) -> str:
    """The whole page, from the scorecard and the figures' HTML."""
    heading = html.escape(f"{result.lesson} · {result.title}")
    submission = html.escape(result.submission)
    shown = "\n".join(figures) if figures else "<p>This run recorded no figures.</p>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{heading}: {submission}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{heading}</h1>
{scorecard_html(result)}
<h2>Figures</h2>
{shown}
</body>
</html>
"""


def write(result: RunResult, folder: Path) -> Path:
    """Write the run's page and its figures into ``folder``; returns the page's path."""
    folder.mkdir(parents=True, exist_ok=True)
    figures = []
    for number, drawing in enumerate(draw_all(result.figures), start=1):
        name = f"figure-{number}.png"
        if drawing.png is not None:
            (folder / name).write_bytes(drawing.png)
        figures.append(figure_html(drawing, name))
    index = folder / INDEX
    write_atomic(index, page(result, figures))
    return index
