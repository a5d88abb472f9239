"""letterkit's benchmark: every figure against the floor, WeasyPrint itself, in one run.

    python benchmarks/run.py            # the full run (a few minutes: 200 cold composes)
    python benchmarks/run.py --quick    # fewer repetitions, a loop of 20 instead of 200

It measures, in medians of repeated runs on this machine:
1. a cold `letterkit compose` (Markdown and PDF, fresh process) against a bare script that
   imports weasyprint and renders the same HTML with the same stylesheets;
2. `letterkit --help`, `letterkit measures` and `letterkit check`, which write no PDF;
3. `letterkit batch` of 200 letters against a bare 2-process WeasyPrint pool on the same 200
   HTML documents, and against a shell loop of `letterkit compose` calls;
4. the peak memory of a batch worker;
5. selection and Markdown rendering on synthetic programs of 10 to 10,000 measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LETTERKIT = str(BIN / "letterkit")
DATA = ("measures.yaml", "campaign.yaml", "associations.yaml")

# The floor: WeasyPrint alone, with the fonts and stylesheets letterkit uses, nothing else.
BARE_RENDER = """
import sys
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
html, out = sys.argv[1], sys.argv[2]
fonts = FontConfiguration()
sheets = [CSS(filename=f, font_config=fonts) for f in sys.argv[3:]]
HTML(filename=html).write_pdf(out, stylesheets=sheets, font_config=fonts)
"""

BARE_POOL = """
import sys
from multiprocessing import Pool
from pathlib import Path

def start(css_files):
    global render
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    fonts = FontConfiguration()
    sheets = [CSS(filename=f, font_config=fonts) for f in css_files]
    def render(html):
        HTML(filename=html).write_pdf(html[:-5] + ".pdf", stylesheets=sheets, font_config=fonts)

def work(html):
    render(html)

if __name__ == "__main__":
    htmls = sorted(str(p) for p in Path(sys.argv[1]).glob("*.html"))
    with Pool(2, initializer=start, initargs=(sys.argv[2:],)) as pool:
        pool.map(work, htmls, chunksize=4)
"""

PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def wall(args: list[str], runs: int, cwd: Path | None = None) -> float:
    """Median wall time of a command, in seconds (one warm-up run first)."""
    times = []
    for index in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(args, check=True, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        if index:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def campaign(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in DATA:
        shutil.copy(REPO / name, folder / name)
    return folder


def requests_csv(path: Path, count: int, fmt: str = "md,pdf") -> None:
    """`count` distinct letters: every theme, on successive dates."""
    themes = ["mediation", "numerique", "tranquillite", "antiracisme,numerique",
              "petite-enfance,intergenerationnel"]
    start = dt.date(2026, 1, 1)
    rows = [f'ARPE,"{themes[i % len(themes)]}",{start + dt.timedelta(days=i // len(themes))},'
            f'"{fmt}"' for i in range(count)]
    path.write_text("assoc,themes,date,format\n" + "\n".join(rows) + "\n", encoding="utf-8")


def stylesheets(tmp: Path) -> list[str]:
    """The stylesheets letterkit gives WeasyPrint, as files for the bare scripts."""
    sys.path.insert(0, str(REPO / "src"))
    from letterkit.pdf import font_faces

    faces = tmp / "fonts.css"
    faces.write_text(font_faces(), encoding="utf-8")
    return [str(faces), str(REPO / "templates" / "letters" / "letter.css")]


def synthetic_program(size: int):
    """A clearly synthetic program: « Mesure synthétique N », themes t0…t9, ten a paragraph."""
    from letterkit.models import Program

    return Program.model_validate({
        "themes": {f"t{i}": {"label": f"Thème synthétique {i}"} for i in range(10)},
        "measures": [{"number": n, "themes": [f"t{n % 10}"],
                      "text": f"pour la mesure synthétique numéro {n} (mesure {n})"}
                     for n in range(1, size + 1)],
        "paragraphs": [{"lead": f"Paragraphe synthétique {p}.", "sentences": [{
            "intro": "Nous agirons :", "join": "ou encore",
            "measures": list(range(p * 10 + 1, min(p * 10 + 10, size) + 1))}]}
            for p in range((size + 9) // 10)],
    })


def selection_and_markdown(size: int, runs: int) -> tuple[float, float]:
    """Seconds to select every measure and render the letter's Markdown: the first time in the
    process (every paragraph typeset), and the median of the next runs (typeset paragraphs
    reused, as in a batch)."""
    from letterkit import render
    from letterkit.data import load_project
    from letterkit.paths import DEFAULT_TEMPLATE
    from letterkit.select import select

    project = load_project(REPO)
    project.program = synthetic_program(size)
    association = project.associations[0]
    env = render.environment(REPO)
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        selection = select(project.program, list(project.program.themes))
        context = render.letter_context(project, association, selection, dt.date(2026, 3, 1))
        render.render_letter(env, DEFAULT_TEMPLATE, context).markdown  # noqa: B018
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--loop", type=int, help="letters in the shell loop (default 200)")
    options = parser.parse_args()
    runs = 3 if options.quick else 7
    loop = options.loop or (20 if options.quick else 200)
    rows: list[tuple[str, str, str, str, str]] = []

    with tempfile.TemporaryDirectory(prefix="letterkit-bench-") as name:
        tmp = Path(name)
        root = campaign(tmp / "campagne")
        css = stylesheets(tmp)

        # 1. Cold compose against the bare script on the same HTML.
        compose = [LETTERKIT, "compose", "--assoc", "ARPE", "--themes", "mediation", "--date",
                   "2026-03-01", "--force", "--project", str(root), "--out", str(tmp / "one")]
        subprocess.run([*compose, "--format", "html"], check=True, stdout=subprocess.DEVNULL)
        html = str(tmp / "one" / "2026-03-01-arpe-mediation.html")
        ours = wall(compose, runs)
        bare_script = tmp / "bare_render.py"
        bare_script.write_text(BARE_RENDER, encoding="utf-8")
        floor = wall([sys.executable, str(bare_script), html, str(tmp / "bare.pdf"), *css], runs)
        rows.append(("cold compose, md + pdf (s)", f"{ours:.3f}", f"{floor:.3f}",
                     f"{ours / floor:.2f}×", "≤ 1.15×"))

        # 2. Commands that write no PDF.
        for args in (["--help"], ["measures"], ["check"]):
            seconds = wall([LETTERKIT, *args, *(["--project", str(root)] if args[0] !=
                                                "--help" else [])], runs)
            rows.append((f"letterkit {args[0]} (s)", f"{seconds:.3f}", "", "", "< 0.25 s"))

        # 3 and 4. Batch against the bare pool and a shell loop; peak memory of a worker.
        csv = tmp / "demandes.csv"
        requests_csv(csv, 200)
        batch = [LETTERKIT, "batch", str(csv), "--jobs", "2", "--force", "--project", str(root),
                 "--out", str(tmp / "batch")]
        batch_seconds = wall(batch, max(1, runs // 3))
        html_batch = tmp / "html"  # the same 200 letters as HTML, for the bare pool
        requests_csv(tmp / "html.csv", 200, "html")
        subprocess.run([LETTERKIT, "batch", str(tmp / "html.csv"), "--project", str(root),
                        "--out", str(html_batch)], check=True, stdout=subprocess.DEVNULL)
        pool_script = tmp / "bare_pool.py"
        pool_script.write_text(BARE_POOL, encoding="utf-8")
        pool_seconds = wall([sys.executable, str(pool_script), str(html_batch), *css],
                            max(1, runs // 3))
        rows.append(("batch of 200, letters/s", f"{200 / batch_seconds:.1f}",
                     f"{200 / pool_seconds:.1f}", f"{pool_seconds / batch_seconds:.2f}×",
                     "≥ 0.85×"))
        start = time.perf_counter()
        for i in range(loop):
            subprocess.run([*compose[:-1], str(tmp / "loop"), "--date",
                            str(dt.date(2026, 1, 1) + dt.timedelta(days=i % 70)), "--force"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        loop_rate = loop / (time.perf_counter() - start)
        rows.append((f"shell loop of {loop} composes, letters/s", f"{loop_rate:.1f}", "",
                     f"batch {200 / batch_seconds / loop_rate:.1f}×", "batch ≥ 10×"))
        peak = tmp / "peak.py"
        peak.write_text(PEAK_RSS, encoding="utf-8")
        kib = int(subprocess.run([sys.executable, str(peak), *batch], check=True,
                                 capture_output=True, text=True).stdout)
        pool_kib = int(subprocess.run([sys.executable, str(peak), sys.executable,
                                       str(pool_script), str(html_batch), *css], check=True,
                                      capture_output=True, text=True).stdout)
        rows.append(("peak memory of a worker (MB)", f"{kib / 1024:.0f}", f"{pool_kib / 1024:.0f}",
                     f"{kib / pool_kib:.2f}×", "≤ 150 MB"))

    # 5. Selection and Markdown on synthetic programs.
    sys.path.insert(0, str(REPO / "src"))
    for size in (10, 104, 1_000, 10_000):
        first, warm = selection_and_markdown(size, runs)
        rows.append((f"select + Markdown, {size:,} measures (ms)", f"{warm * 1000:.1f}",
                     f"first: {first * 1000:.0f}", f"{warm / size * 1e6:.1f} µs a measure",
                     "< 100 ms, linear" if size == 10_000 else ""))

    print(f"letterkit benchmark — {platform.node()}, {os.cpu_count()} CPUs, "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{dt.datetime.now():%Y-%m-%d}")
    print()
    print("| measure | letterkit | floor | ratio | target |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
