"""letterkit's benchmark: every figure against the floor, WeasyPrint itself, in one run.

    python benchmarks/run.py            # the full run (about 5 minutes on a quiet machine)
    python benchmarks/run.py --quick    # fewer repetitions
    python benchmarks/run.py --keyboard # only the keyboard rows (listing, Tab), in a minute

It measures, as medians with their spread (min–max) over repeated runs on this machine:
1. a cold `letterkit compose` (Markdown and PDF, fresh process) against a bare script that
   imports WeasyPrint and renders the same HTML with the same stylesheets into the same kind of
   PDF (tagged), in alternated pairs (A B A B …), the ratio taken pair by pair;
2. `letterkit --help`, `measures`, `themes`, `associations` and `check`, which write no PDF;
   and at the keyboard, `letterkit measures` and a Tab completion (`--assoc AR<Tab>` through
   bash's protocol) against a bare script that reads measures.yaml with PyYAML and prints a
   Rich table, in alternated pairs;
3. `letterkit batch` of 100 letters (Markdown, PDF and the ledger) against a bare two-process
   WeasyPrint pool on the same 100 HTML pages, alternated, and against a shell loop of
   `letterkit compose`;
4. the peak memory of the largest process of a batch (a worker);
5. the first letter citing 10 to 10,000 synthetic measures (clearly synthetic: « Mesure
   synthétique N »), each in a fresh process, and the same letter again in that process.

Each time is the wall-clock time and the CPU time (user + sys, with the child processes) of the
whole process tree. The machine is shared: wall times follow its load, CPU times much less;
where a ratio's spread is wide, more pairs are run. The load average is printed with the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
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
BATCH = 100

# The floor: WeasyPrint alone, with the fonts and stylesheets letterkit uses, nothing else; the
# same kind of PDF as letterkit's (tagged, for screen readers).
BARE_RENDER = """
import sys
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
html, out = sys.argv[1], sys.argv[2]
fonts = FontConfiguration()
sheets = [CSS(filename=f, font_config=fonts) for f in sys.argv[3:]]
HTML(filename=html).write_pdf(out, stylesheets=sheets, font_config=fonts, pdf_tags=True)
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
        HTML(filename=html).write_pdf(html[:-5] + ".pdf", stylesheets=sheets, font_config=fonts,
                                      pdf_tags=True)

def work(html):
    render(html)

if __name__ == "__main__":
    htmls = sorted(str(p) for p in Path(sys.argv[1]).glob("*.html"))
    with Pool(2, initializer=start, initargs=(sys.argv[2:],)) as pool:
        pool.map(work, htmls, chunksize=4)
"""

# The floor of a listing: measures.yaml read by PyYAML, a Rich table printed, nothing else.
BARE_LISTING = """
import sys
import yaml
from rich.console import Console
from rich.table import Table
data = yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader",
                                                                      yaml.SafeLoader))
table = Table("N°", "Measure", "Themes", title=f"{len(data['measures'])} measures")
for m in data["measures"]:
    table.add_row(str(m["number"]), m.get("title") or m["text"], ", ".join(m["themes"]))
Console().print(table)
"""

PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

# The first letter citing N synthetic measures, then the same letter again, in one process.
SYNTHETIC = """
import datetime as dt, json, sys, time
sys.path.insert(0, {benchmarks!r})
from run import synthetic_program
from letterkit.letter import render
from letterkit.campaign.project import load_project
from letterkit.paths import DEFAULT_TEMPLATE
from letterkit.letter.select import select
from pathlib import Path

project = load_project(Path({root!r}))
project.program = synthetic_program(int(sys.argv[1]))
association = project.associations[0]
env = render.environment(project.root)
times = []
for _ in range(4):
    wall, cpu = time.perf_counter(), time.process_time()
    selection = select(project.program, list(project.program.themes))
    context = render.letter_context(project, association, selection, dt.date(2026, 3, 1))
    render.render_letter(env, DEFAULT_TEMPLATE, context).markdown
    times.append((time.perf_counter() - wall, time.process_time() - cpu))
print(json.dumps({{"first": times[0], "again": sorted(times[1:])[1]}}))
"""


class Runs:
    """Wall and CPU seconds of repeated runs of one command."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)


def timed(args: list[str], cwd: Path | None = None,
          env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + sys of the whole process tree) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def repeated(commands: dict[str, list[str]], runs: int) -> dict[str, Runs]:
    """Each command `runs` times after a warm-up, in turn (A B C A B C …), so that a change of
    the machine's load touches them all alike."""
    results = {name: Runs() for name in commands}
    for index in range(runs + 1):
        for name, args in commands.items():
            wall, cpu = timed(args)
            if index:
                results[name].add(wall, cpu)
    return results


def paired(ours: list[str], floor: list[str], runs: int, most: int,
           before: list[str] | None = None, env: dict[str, str] | None = None,
           cwd: Path | None = None) -> tuple[Runs, Runs, list[float], list[float]]:
    """Alternated runs of ours and the floor after a warm-up of each, the ratio pair by pair;
    while the wall ratios spread wider than 20 %, more pairs, up to `most`."""
    a, b, walls, cpus = Runs(), Runs(), [], []
    for index in range(most + 1):
        if index > runs and spread(walls) <= 0.2:
            break
        if before:
            subprocess.run(before, check=True, stdout=subprocess.DEVNULL)
        ours_run = timed(ours, cwd, env)
        floor_run = timed(floor, cwd)
        if index:
            a.add(*ours_run)
            b.add(*floor_run)
            walls.append(ours_run[0] / floor_run[0])
            cpus.append(ours_run[1] / floor_run[1])
    return a, b, walls, cpus


def spread(values: list[float]) -> float:
    """How far apart the middle half of `values` is, relative to their median."""
    if len(values) < 4:
        return float("inf")
    q1, _, q3 = statistics.quantiles(values, n=4)
    return (q3 - q1) / statistics.median(values)


def fmt(values: list[float], digits: int = 3, scale: float = 1.0, suffix: str = "") -> str:
    """« median (min–max) »."""
    values = [v * scale for v in values]
    med = statistics.median(values)
    return (f"{med:.{digits}f}{suffix} ({min(values):.{digits}f}–{max(values):.{digits}f})")


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
    from letterkit.formats.pdf import font_faces

    faces = tmp / "fonts.css"
    faces.write_text(font_faces(), encoding="utf-8")
    return [str(faces), str(REPO / "templates" / "letters" / "letter.css")]


def synthetic_program(size: int):  # type: ignore[no-untyped-def]
    """A clearly synthetic program: « Mesure synthétique N », themes t0…t9, ten a paragraph."""
    from letterkit.campaign.project import Program

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


def keyboard(tmp: Path, root: Path, runs: int) -> list[tuple[str, ...]]:
    """`letterkit measures` and a Tab completion against the bare listing, in pairs: the
    ratio ≤ 2× is the target. The first `measures` loads and checks the campaign in full;
    the runs after it read the YAML only, the data being unchanged (campaign/quick.py)."""
    bare = tmp / "bare_listing.py"
    bare.write_text(BARE_LISTING, encoding="utf-8")
    floor = [sys.executable, str(bare), str(root / "measures.yaml")]
    # A cache folder of the run's own: the first run below is the full load.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "LANG": "C.UTF-8"}
    listing = [LETTERKIT, "measures", "--project", str(root)]
    first = timed(listing, env=env)
    rows = []
    ours, base, walls, cpus = paired(listing, floor, runs + 3, 3 * runs, env=env)
    rows.append(("letterkit measures vs bare YAML + Rich: wall (s)", fmt(ours.wall),
                 fmt(base.wall), fmt(walls, 2, suffix="×"), "≤ 2.0×",
                 met(statistics.median(walls), 2.0)))
    rows.append(("letterkit measures: CPU (s)", fmt(ours.cpu), fmt(base.cpu),
                 fmt(cpus, 2, suffix="×"), "", ""))
    rows.append(("letterkit measures, first after an edit (full load): wall (s)",
                 f"{first[0]:.3f}", "", "", "", ""))
    tab = {**env, "_LETTERKIT_COMPLETE": "complete_bash",
           "COMP_WORDS": "letterkit compose --assoc AR", "COMP_CWORD": "3"}
    ours, base, walls, cpus = paired([LETTERKIT], floor, runs + 3, 3 * runs, env=tab,
                                     cwd=root)
    rows.append(("Tab completion (--assoc AR) vs bare YAML + Rich: wall (s)", fmt(ours.wall),
                 fmt(base.wall), fmt(walls, 2, suffix="×"), "≤ 2.0×",
                 met(statistics.median(walls), 2.0)))
    rows.append(("Tab completion: CPU (s)", fmt(ours.cpu), fmt(base.cpu),
                 fmt(cpus, 2, suffix="×"), "", ""))
    return rows


def met(value: float, target: float, below: bool = True) -> str:
    return "yes" if (value <= target if below else value >= target) else "no"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--keyboard", action="store_true",
                        help="only the keyboard rows: a listing and a Tab completion")
    options = parser.parse_args()
    runs = 3 if options.quick else 7
    # Fresh bytecode: where PYTHONDONTWRITEBYTECODE is set, a module changed since the install
    # would otherwise be compiled again at every start, as an installed wheel never is.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src")], check=True)
    load_before = os.getloadavg()
    started = time.perf_counter()
    rows: list[tuple[str, ...]] = []

    with tempfile.TemporaryDirectory(prefix="letterkit-bench-") as name:
        tmp = Path(name)
        root = campaign(tmp / "campagne")
        project = ["--project", str(root)]
        rows += keyboard(tmp, root, runs)
        if options.keyboard:
            print_table(rows, load_before, started)
            return
        css = stylesheets(tmp)

        # 1. Cold compose against the bare script on the same HTML.
        compose = [LETTERKIT, "compose", "--assoc", "ARPE", "--themes", "mediation", "--date",
                   "2026-03-01", "--force", *project, "--out", str(tmp / "one")]
        subprocess.run([*compose, "--format", "html"], check=True, stdout=subprocess.DEVNULL)
        html = str(tmp / "one" / "2026-03-01-arpe-mediation.html")
        bare_script = tmp / "bare_render.py"
        bare_script.write_text(BARE_RENDER, encoding="utf-8")
        ours, floor, walls, cpus = paired(
            compose, [sys.executable, str(bare_script), html, str(tmp / "bare.pdf"), *css],
            runs + 3, 3 * runs)
        rows.append(("cold compose, md + pdf: wall (s)", fmt(ours.wall), fmt(floor.wall),
                     fmt(walls, 2, suffix="×"), "≤ 1.0×",
                     met(statistics.median(walls), 1.0)))
        rows.append(("cold compose: CPU, whole tree (s)", fmt(ours.cpu), fmt(floor.cpu),
                     fmt(cpus, 2, suffix="×"), "", ""))

        # 2. Commands that write no PDF.
        listings = {"--help": [LETTERKIT, "--help"],
                    "measures": [LETTERKIT, "measures", *project],
                    "themes": [LETTERKIT, "themes", *project],
                    "associations": [LETTERKIT, "associations", *project],
                    "check": [LETTERKIT, "check", *project]}
        for command, result in repeated(listings, runs + 3).items():
            target = {"--help": None, "check": 0.3}.get(command, 0.2)
            rows.append((f"letterkit {command}: wall (s)", fmt(result.wall),
                         f"CPU {fmt(result.cpu)}", "", f"< {target} s" if target else "",
                         met(statistics.median(result.wall), target) if target else ""))

        # 3 and 4. Batch against the bare pool and a shell loop; peak memory of a worker.
        requests_csv(tmp / "demandes.csv", BATCH)
        batch = [LETTERKIT, "batch", str(tmp / "demandes.csv"), "--jobs", "2", "--force",
                 *project, "--out", str(tmp / "batch")]
        html_batch = tmp / "html"  # the same letters as HTML, for the bare pool
        requests_csv(tmp / "html.csv", BATCH, "html")
        subprocess.run([LETTERKIT, "batch", str(tmp / "html.csv"), *project, "--out",
                        str(html_batch)], check=True, stdout=subprocess.DEVNULL)
        pool_script = tmp / "bare_pool.py"
        pool_script.write_text(BARE_POOL, encoding="utf-8")
        pool = [sys.executable, str(pool_script), str(html_batch), *css]
        fresh_ledger = [sys.executable, "-c", "import pathlib, sys; [p.unlink() for p in "
                        "pathlib.Path(sys.argv[1]).glob('ledger*')]", str(root)]
        ours, floor, walls, cpus = paired(batch, pool, 1 if options.quick else 3,
                                          2 if options.quick else 5, before=fresh_ledger)
        rows.append((f"batch of {BATCH}, md + pdf + ledger: letters/s",
                     fmt([BATCH / w for w in ours.wall], 1),
                     fmt([BATCH / w for w in floor.wall], 1),
                     fmt([1 / r for r in walls], 2, suffix="×"), "≥ 0.95×",
                     met(1 / statistics.median(walls), 0.95, below=False)))
        rows.append(("batch: CPU a letter, whole tree (ms)",
                     fmt([c / BATCH for c in ours.cpu], 1, 1000),
                     fmt([c / BATCH for c in floor.cpu], 1, 1000),
                     fmt(cpus, 2, suffix="×"), "", ""))
        loop = 3 if options.quick else 10
        loop_runs = Runs()
        for i in range(loop):
            loop_runs.add(*timed([*compose[:-1], str(tmp / "loop"), "--date",
                                  str(dt.date(2026, 1, 1) + dt.timedelta(days=i))]))
        rate = loop / sum(loop_runs.wall)
        rows.append((f"shell loop of {loop} composes: letters/s", f"{rate:.2f}", "",
                     f"batch {BATCH / statistics.median(ours.wall) / rate:.1f}×", "", ""))
        peak = tmp / "peak.py"
        peak.write_text(PEAK_RSS, encoding="utf-8")
        subprocess.run(fresh_ledger, check=True)
        kib = int(subprocess.run([sys.executable, str(peak), *batch], check=True,
                                 capture_output=True, text=True).stdout)
        pool_kib = int(subprocess.run([sys.executable, str(peak), *pool], check=True,
                                      capture_output=True, text=True).stdout)
        rows.append(("peak memory of a batch worker (MB)", f"{kib / 1024:.0f}",
                     f"{pool_kib / 1024:.0f}", f"{kib / pool_kib:.2f}×", "< 100 MB",
                     met(kib / 1024, 100)))

        # 5. The first letter citing N synthetic measures, in fresh processes.
        synthetic = tmp / "synthetic.py"
        synthetic.write_text(SYNTHETIC.format(benchmarks=str(REPO / "benchmarks"),
                                              root=str(root)), encoding="utf-8")
        for size in (10, 1_000, 10_000):
            firsts, cpu_firsts, agains = [], [], []
            for _ in range(1 if options.quick else 3):
                result = json.loads(subprocess.run(
                    [sys.executable, str(synthetic), str(size)], check=True,
                    capture_output=True, text=True).stdout)
                firsts.append(result["first"][0])
                cpu_firsts.append(result["first"][1])
                agains.append(result["again"][0])
            median = statistics.median(firsts)
            rows.append((f"first letter citing {size:,} synthetic measures (s)", fmt(firsts),
                         f"CPU {fmt(cpu_firsts)}",
                         f"again {fmt(agains, 1, 1000)} ms; {median / size * 1e6:.0f} µs a "
                         "measure", "< 2 s" if size == 10_000 else "",
                         met(median, 2.0) if size == 10_000 else ""))

    print_table(rows, load_before, started)


def print_table(rows: list[tuple[str, ...]], load_before: tuple[float, float, float],
                started: float) -> None:
    load_after = os.getloadavg()
    print(f"letterkit benchmark — {platform.node()}, {os.cpu_count()} CPUs, "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{dt.datetime.now():%Y-%m-%d %H:%M}, {time.perf_counter() - started:.0f} s; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print()
    print("| measure | letterkit | floor | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
