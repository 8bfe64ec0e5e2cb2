"""Figures, the drawing side (issue 13): plain data in the result, drawn by the renderers.

Drawn from synthetic plain data (no training): PNGs of their golden size, the
terminal sparkline, GitHub's step-summary chart and the HTML report page, which
is opened in headless Chromium when it is installed.  Recording figures during
grading is in test_figures_recording.py.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rich.console import Console

from grader import api
from grader.classroom import instructor
from grader.outputs import github, html_report, mermaid, sparkline
from grader.outputs.figures import draw, draw_all
from grader.outputs.scorecard import Scorecard
from grader.results import CheckResult, Figure, RunResult, Status
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from figures import sample_figures, sample_result  # bench/figures.py

SIZES = {
    "curves": (640, 400),
    "line_fit": (640, 400),
    "confusion": (640, 400),
    "image_grid": (960, 420),
    "forecast": (640, 400),
    "bars": (640, 400),
}
"""Golden PNG dimensions: 6.4 × 4 inches at 100 dpi; a grid of 12 images is 6 × 2 cells."""
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def non_blank(image: np.ndarray) -> float:
    """Share of the pixels that are not (near) white."""
    return float(np.mean(image.min(axis=2) < 235))


@pytest.mark.parametrize("kind", SIZES)
def test_every_kind_draws_a_png_of_its_golden_size_that_is_not_blank(kind: str) -> None:
    figure = sample_figures()[kind]
    png = draw(figure)
    assert png.startswith(b"\x89PNG")
    image = pixels(png)
    assert image.shape[1::-1] == SIZES[kind]
    assert non_blank(image) > 0.03, f"{kind} is (nearly) blank"
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 20, f"{kind} has hardly any colours"


def test_a_figure_that_cannot_be_drawn_is_a_line_not_an_exception() -> None:
    broken = Figure("confusion", "Not square", matrix=((1, 2, 3),))
    empty = Figure("curves", "Nothing")
    drawings = draw_all([broken, sample_figures()["bars"], empty])
    assert [d.png is None for d in drawings] == [True, False, True]
    assert "square" in (drawings[0].error or "")
    result = dataclasses.replace(
        sample_result(), checks=(CheckResult("c", "t", Status.PASSED, 1, 1, figures=(broken,)),)
    )
    assert "The figure “Not square” could not be drawn: ValueError" in html_report.page(
        result, [html_report.figure_html(drawings[0], "figure-1.png")]
    )


def test_an_unknown_kind_is_refused_when_recorded() -> None:
    with pytest.raises(ValueError, match="unknown figure kind"):
        Figure("pie", "no")


# --- the terminal sparkline -------------------------------------------------------------


def test_sparkline_at_fixed_width() -> None:
    assert sparkline.sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8) == "▁▂▃▄▅▆▇█"
    assert sparkline.sparkline([7, 6, 5, 4, 3, 2, 1, 0], 4) == "█▆▃▁"  # means of pairs
    assert sparkline.sparkline([2.0] * 5, 10) == "▄▄▄▄▄"
    assert sparkline.sparkline([1000, 100, 10, 1], 4) == "█▆▃▁"  # log scale: evenly spaced
    assert len(sparkline.sparkline(list(range(500)), 30)) == 30
    assert sparkline.sparkline([math.nan, math.inf], 5) == ""


def scorecard(console: Console, result: RunResult) -> str:
    console.print(Scorecard(result))
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_the_scorecard_shows_the_loss_only_on_a_console_with_colour() -> None:
    result = sample_result()
    coloured = scorecard(
        Console(file=io.StringIO(), width=80, color_system="truecolor", force_terminal=True),
        result,
    )
    plain_text = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert re.search(r"\n +loss 902 █[▁▂▃▄▅▆▇█]{28}▁ 2\.22 \(log scale\)", plain_text)
    assert re.search(r"\n +val_loss 953 █[▁▂▃▄▅▆▇█]{28}▁ 3\.23 \(log scale\)", plain_text)
    for console in (
        Console(file=io.StringIO(), width=80, color_system=None),
        Console(file=io.StringIO(), width=80, color_system="truecolor", no_color=True),
        Console(file=io.StringIO(), width=80, force_terminal=True, _environ={"TERM": "dumb"}),
    ):
        assert "loss" not in scorecard(console, result)


# --- GitHub's step summary ----------------------------------------------------------------


def test_the_step_summary_charts_the_loss_and_the_numbers_parse_back() -> None:
    result = sample_result()
    summary = github.summary(result)
    block = re.search(r"```mermaid\n(.*?)\n```", summary, re.DOTALL)
    assert block, summary
    assert "xychart-beta" in block.group(1) and 'x-axis "epoch" 1 --> 500' in block.group(1)
    loss, val_loss = mermaid.parse(block.group(1))
    series = result.checks[0].series
    for parsed, name in ((loss, "loss"), (val_loss, "val_loss")):
        expected = sparkline.resample(series[name], mermaid.MAX_POINTS)
        assert len(parsed) == mermaid.MAX_POINTS
        assert np.allclose(parsed, expected, rtol=1e-3)
    assert not re.search(r"\de[+-]\d", block.group(1)), "Mermaid reads no exponent notation"


def test_no_chart_for_a_loss_that_is_not_finite() -> None:
    check = CheckResult("t", "t", Status.FAILED, 0, 1, series={"loss": (3.0, math.nan)})
    assert mermaid.chart(check) is None
    assert "mermaid" not in github.summary(RunResult("l", "T", "s.py", 1, "0", (check,)))


# --- the HTML page, in a real browser -------------------------------------------------------

WIDTHS = """<script>window.addEventListener("load", () => {
  const found = [...document.images].map(i => i.complete ? i.naturalWidth : -1);
  const out = document.createElement("pre"); out.id = "widths";
  out.textContent = JSON.stringify(found); document.body.appendChild(out);
});</script></body>"""


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000"]
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=True
    )


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_the_report_page_loads_every_figure_in_chromium(tmp_path: Path) -> None:
    result = sample_result()
    page = html_report.write(result, tmp_path / "report")
    assert sorted(p.name for p in page.parent.glob("*.png")) == [
        f"figure-{n}.png" for n in range(1, len(result.figures) + 1)
    ]
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", WIDTHS))
    dom = chromium("--dump-dom", probe.as_uri()).stdout
    widths = json.loads(re.search(r'<pre id="widths">(.*?)</pre>', dom).group(1))
    assert widths == [640, 640, 640, 640, 960, 640, 640], widths
    unloaded = page.with_name("unloaded.html")
    unloaded.write_text(page.read_text(encoding="utf-8").replace('src="figure-', 'src="none-'))
    shots = []
    for shown in (page, unloaded):
        shot = tmp_path / f"{shown.stem}.png"
        chromium(f"--screenshot={shot}", "--window-size=1000,1400", shown.as_uri())
        shots.append(np.asarray(Image.open(shot).convert("RGB")).astype(int))
    changed = np.mean(np.abs(shots[0] - shots[1]).max(axis=2) > 30)
    assert changed > 0.01, f"the screenshot shows no figures ({changed:.1%} of it changed)"


def test_run_outputs_write_the_report_folder(tmp_path: Path) -> None:
    instructor.write_files(sample_result(), instructor.Outputs(report=tmp_path / "r"))
    text = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert text.count("<img ") == 7 and "Misclassified test images" in text
    assert "loss 902" in text, "the page shows the scorecard with its sparkline"


def test_a_notebook_report_shows_the_figures_under_the_scorecard() -> None:
    from grader.notebooks.jupyter import Report

    shown = Report(sample_result()).html()
    assert shown.index("<pre") < shown.index('<img src="data:image/png;base64,')
    assert shown.count("data:image/png;base64,") == 7


def test_batch_gives_each_submission_its_own_report_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grader import cli
    from grader.classroom import batch
    from grader.limits import Limits

    commands = []
    monkeypatch.setattr(batch, "run_grader", lambda c, *a, **k: (commands.append(c), (1, ""))[1])
    args = cli.parser().parse_args(["lesson1", "--batch", "x/*.py", "--report", "pages"])
    settings = batch.settings(api.Options(), Limits(), tmp_path, 1, report=args.report)
    submission = tmp_path / "ada.py"
    submission.write_text("")
    batch.grade_one("lesson1", submission, "ada", settings)
    assert commands[0][-2:] == ["--report", str(Path("pages") / "ada")]
