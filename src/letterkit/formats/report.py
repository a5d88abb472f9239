"""The inbox's overview (`letterkit inbox --report`): one page to look at rather than read —
the requests by status, received and answered per week, the deadlines ahead, the themes asked
most. A self-contained HTML page (its style inside, its charts inline SVG drawn by pygal,
nothing loaded from outside), or its PDF (WeasyPrint, through formats/pdf.py's writer).

pygal is imported only here, when a report is drawn, so that other commands stay fast.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from letterkit.formats.htmlpage import FALLBACK

STYLESHEET = Path(__file__).with_name("report.css")
STATUS_COLOURS = {"received": "#c0392b", "drafted": "#e69f00", "sent": "#0072b2",
                  "done": "#009e73"}
STATUS_WORDS = {"received": "no letter yet", "drafted": "letter written",
                "sent": "by e-mail", "done": "answered otherwise"}
OVERDUE, SOON, LATER = "#c0392b", "#e69f00", "#0072b2"
MAX_AHEAD = 14  # rows of the deadlines table: the page stays one page


@dataclass
class Overview:
    """The figures the page shows."""

    today: dt.date
    campaign: str
    statuses: dict[str, int]                  # status → requests
    weeks: list[tuple[str, int, int]]         # Monday (YYYY-MM-DD), received, answered
    ahead: list[dict[str, Any]]               # pending requests by deadline (inbox rows)
    themes: list[tuple[str, int]]             # theme label → requests asking it
    summary: str                              # « 12 requests: 3 overdue, … »


def _style() -> Any:  # pygal has no type hints
    from pygal.style import Style

    return Style(background="white", plot_background="white", foreground="#333",
                 foreground_strong="#111", foreground_subtle="#ddd", font_family=FALLBACK,
                 label_font_size=13, major_label_font_size=13, value_font_size=12,
                 legend_font_size=13, title_font_size=15,
                 colors=(STATUS_COLOURS["received"], STATUS_COLOURS["done"], LATER))


def _options() -> dict[str, Any]:
    """What every chart shares: no script, no link outside the page, no XML declaration."""
    return {"style": _style(), "js": [], "disable_xml_declaration": True,
            "show_y_guides": False, "show_x_guides": False, "print_values": True,
            "margin": 8, "legend_at_bottom": True,
            "print_zeroes": False,
            "no_data_text": "nothing yet"}


# The guide lines pygal draws for a browser to show on hover (its stylesheet hides them):
# WeasyPrint does not apply that stylesheet, and would print them all.
_HOVER_GUIDES = re.compile(r'<path [^>]*class="(?:major )?guide line"/>')
# Its configuration for pygal.js, the tooltips' script (not loaded: no network): left out.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_CHART_ID = re.compile(r'id="chart-([0-9a-f-]{36})"')


def _svg(chart: Any, name: str) -> str:
    """The chart as inline SVG: its random id made its name (the same page for the same
    inbox), nothing a browser would run or print that it should not."""
    svg = str(chart.render(is_unicode=True))
    found = _CHART_ID.search(svg)
    if found:
        svg = svg.replace(found.group(1), name)
    return _HOVER_GUIDES.sub("", _SCRIPT.sub("", svg))


def weeks_chart(weeks: list[tuple[str, int, int]]) -> str:
    import pygal

    chart = pygal.Bar(width=560, height=300, title="Requests received and answered, per week",
                      x_label_rotation=0, **_options())
    shown = weeks[-12:]  # the last twelve weeks: the campaign's months
    chart.x_labels = [_day(dt.date.fromisoformat(w)) for w, _, _ in shown]
    chart.add("received", [r for _, r, _ in shown])
    chart.add("answered", [a for _, _, a in shown])
    chart.y_labels = _whole(max([1, *(max(r, a) for _, r, a in shown)]))
    return _svg(chart, "weeks")


def themes_chart(themes: list[tuple[str, int]]) -> str:
    import pygal

    options = _options() | {"show_legend": False}
    chart = pygal.HorizontalBar(width=560, height=300, title="Themes asked most (requests)",
                                **options)
    chart.x_labels = [label for label, _ in reversed(themes)]
    chart.add("requests", [{"value": count, "color": LATER} for _, count in reversed(themes)])
    chart.y_labels = _whole(max([1, *(count for _, count in themes)]))
    return _svg(chart, "themes")


def deadlines_chart(ahead: list[dict[str, Any]]) -> str:
    """Days left for each pending request with a deadline: overdue ones below zero, red."""
    import pygal

    dated = [r for r in ahead if r["days_left"] is not None][:MAX_AHEAD]
    options = _options() | {"show_legend": False}
    chart = pygal.HorizontalBar(width=560, height=300, title="Days left before each deadline "
                                "(below zero: overdue)",
                                **options)
    chart.x_labels = [f"{r['id']} · {r['association']}" for r in reversed(dated)]
    chart.add("days left", [{"value": r["days_left"], "color": _urgency(r)}
                            for r in reversed(dated)])
    days = [r["days_left"] for r in dated]
    chart.y_labels = _whole(max([1, *days]), min([0, *days]))
    return _svg(chart, "deadlines")


def _whole(top: int, bottom: int = 0) -> list[int]:
    """Whole numbers along the value axis (requests and days are counted, never halved), at
    most about ten, zero among them."""
    step = max(1, -(-(top - bottom) // 10))
    return [*range(-step, bottom - step, -step)][::-1] + list(range(0, top + step, step))


def _urgency(row: dict[str, Any]) -> str:
    if row["overdue"]:
        return OVERDUE
    return SOON if row["days_left"] is not None and row["days_left"] <= 7 else LATER


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m")


def page(overview: Overview) -> str:
    """The overview as one self-contained HTML page."""
    tiles = "".join(
        f'<div class="tile" style="border-color:{STATUS_COLOURS[s]}"><span class="n" '
        f'style="color:{STATUS_COLOURS[s]}">{n}</span><span class="what">{s}</span>'
        f'<span class="words">{STATUS_WORDS[s]}</span></div>'
        for s, n in overview.statuses.items())
    rows = "".join(
        f'<tr class="{"overdue" if r["overdue"] else ""}"><td>{r["id"]}</td>'
        f'<td>{_e(r["association"])}</td><td>{_e(r["document"])}</td>'
        f'<td>{r["due"] or "—"}</td><td class="num">{_left(r)}</td>'
        f'<td>{r["status"]}{" · letter " + str(r["letter"]) if r["letter"] else ""}</td></tr>'
        for r in overview.ahead[:MAX_AHEAD])
    more = len(overview.ahead) - MAX_AHEAD
    rows += (f'<tr><td colspan="6" class="more">and {more} more: letterkit inbox lists them '
             "all</td></tr>" if more > 0 else "")
    table = (f'<table><thead><tr><th>Id</th><th>Association</th><th>Document</th><th>Due</th>'
             f'<th>Days left</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table>'
             if overview.ahead else '<p class="none">Every request has its reply.</p>')
    style = STYLESHEET.read_text(encoding="utf-8")
    title = f"Inbox of {overview.campaign}, {overview.today.isoformat()}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>
<style>{style}</style></head>
<body>
<header><h1>{_e(overview.campaign)}: the inbox</h1>
<p class="summary">{_e(overview.summary)}
<span class="on">on {overview.today.isoformat()}</span></p>
</header>
<section class="tiles">{tiles}</section>
<section class="charts">
<figure>{weeks_chart(overview.weeks)}</figure>
<figure>{themes_chart(overview.themes)}</figure>
</section>
<section class="ahead">
<h2>Deadlines ahead</h2>
<div class="split"><figure>{deadlines_chart(overview.ahead)}</figure>{table}</div>
</section>
</body></html>
"""


def _left(row: dict[str, Any]) -> str:
    days = row["days_left"]
    if days is None:
        return "—"
    return f"{-days} day{'s' if days < -1 else ''} late" if days < 0 else f"{days}"


def _e(text: object) -> str:
    return html.escape(str(text))


def pdf(page_html: str, root: Path) -> bytes:
    """The overview's PDF, laid out by WeasyPrint with the bundled fonts."""
    from letterkit.formats.pdf import PdfWriter

    data, _ = PdfWriter(STYLESHEET, [root]).write(page_html, root)
    return data
