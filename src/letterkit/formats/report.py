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

from letterkit import i18n
from letterkit.formats.htmlpage import FALLBACK
from letterkit.i18n import N_, _, ngettext

STYLESHEET = Path(__file__).with_name("report.css")
STATUS_COLOURS = {"received": "#c0392b", "drafted": "#e69f00", "sent": "#0072b2",
                  "done": "#009e73"}
STATUS_WORDS = {"received": N_("no letter yet"), "drafted": N_("letter written"),
                "sent": N_("by e-mail"), "done": N_("answered otherwise")}
# A request's status as the table shows it (the same words as `letterkit inbox`).
STATUS_NAMES = {"received": N_("received"), "drafted": N_("drafted"), "sent": N_("sent"),
                "done": N_("done")}
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
            "no_data_text": _("nothing yet")}


def in_context(message: str) -> str:
    """A word whose English is also another message's, translated in its own context: its
    msgid is « context|word » (« legend|received »: the series, « reçues »; a request's status
    « received » is « reçue »), what follows « | » shown."""
    return message.rpartition("|")[2]


def _tile_name(status: str, n: int) -> str:
    """A tile's status, agreeing with its count (« 1 reçue », « 3 reçues »)."""
    names = {"received": ngettext("tile|received", "tile|received", n),
             "drafted": ngettext("tile|drafted", "tile|drafted", n),
             "sent": ngettext("tile|sent", "tile|sent", n),
             "done": ngettext("tile|done", "tile|done", n)}
    return in_context(names[status]) if status in names else status


def _status(status: str) -> str:
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


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

    chart = pygal.Bar(width=560, height=300,
                      title=_("Requests received and answered, per week"),
                      x_label_rotation=0, **_options())
    shown = weeks[-12:]  # the last twelve weeks: the campaign's months
    chart.x_labels = [_day(dt.date.fromisoformat(w)) for w, _r, _a in shown]
    chart.add(in_context(_("legend|received")), [r for _w, r, _a in shown])
    chart.add(in_context(_("legend|answered")), [a for _w, _r, a in shown])
    chart.y_labels = _whole(max([1, *(max(r, a) for _w, r, a in shown)]))
    return _svg(chart, "weeks")


def themes_chart(themes: list[tuple[str, int]]) -> str:
    import pygal

    options = _options() | {"show_legend": False}
    chart = pygal.HorizontalBar(width=560, height=300,
                                title=_("Themes asked most (requests)"), **options)
    chart.x_labels = [label for label, _count in reversed(themes)]
    chart.add(in_context(_("legend|requests")),
              [{"value": count, "color": LATER} for _label, count in reversed(themes)])
    chart.y_labels = _whole(max([1, *(count for _label, count in themes)]))
    return _svg(chart, "themes")


def deadlines_chart(ahead: list[dict[str, Any]]) -> str:
    """Days left for each pending request with a deadline: overdue ones below zero, red."""
    import pygal

    dated = [r for r in ahead if r["days_left"] is not None][:MAX_AHEAD]
    options = _options() | {"show_legend": False}
    chart = pygal.HorizontalBar(width=560, height=300,
                                title=_("Days left before each deadline (below zero: overdue)"),
                                **options)
    chart.x_labels = [f"{r['id']} · {r['association']}" for r in reversed(dated)]
    chart.add(in_context(_("legend|days left")), [{"value": r["days_left"],
                                                    "color": _urgency(r)}
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
        f'style="color:{STATUS_COLOURS[s]}">{n}</span>'
        f'<span class="what">{_e(_tile_name(s, n))}</span>'
        f'<span class="words">{_e(_(STATUS_WORDS[s]))}</span></div>'
        for s, n in overview.statuses.items())
    rows = "".join(
        f'<tr class="{"overdue" if r["overdue"] else ""}"><td>{r["id"]}</td>'
        f'<td>{_e(r["association"])}</td><td>{_e(r["document"])}</td>'
        f'<td>{r["due"] or "—"}</td><td class="num">{_e(_left(r))}</td>'
        f'<td>{_e(_state(r))}</td></tr>'
        for r in overview.ahead[:MAX_AHEAD])
    more = len(overview.ahead) - MAX_AHEAD
    rows += (f'<tr><td colspan="6" class="more">{_e(_more(more))}</td></tr>' if more > 0
             else "")
    headings = "".join(f"<th>{_e(h)}</th>" for h in (
        _("Id"), _("Association"), _("Document"), _("Due"), _("Days left"), _("Status")))
    replied = _("Every request has its reply.")
    table = (f"<table><thead><tr>{headings}</tr></thead><tbody>{rows}</tbody></table>"
             if overview.ahead else f'<p class="none">{_e(replied)}</p>')
    style = STYLESHEET.read_text(encoding="utf-8")
    today = overview.today.isoformat()
    title = _("Inbox of {campaign}, {date}").format(campaign=overview.campaign, date=today)
    heading = _("{campaign}: the inbox").format(campaign=overview.campaign)
    on, ahead = _("on {date}").format(date=today), _("Deadlines ahead")
    return f"""<!DOCTYPE html>
<html lang="{i18n.LANGUAGE}"><head><meta charset="utf-8"><title>{_e(title)}</title>
<style>{style}</style></head>
<body>
<header><h1>{_e(heading)}</h1>
<p class="summary">{_e(overview.summary)}
<span class="on">{_e(on)}</span></p>
</header>
<section class="tiles">{tiles}</section>
<section class="charts">
<figure>{weeks_chart(overview.weeks)}</figure>
<figure>{themes_chart(overview.themes)}</figure>
</section>
<section class="ahead">
<h2>{_e(ahead)}</h2>
<div class="split"><figure>{deadlines_chart(overview.ahead)}</figure>{table}</div>
</section>
</body></html>
"""


def _left(row: dict[str, Any]) -> str:
    days = row["days_left"]
    if days is None:
        return "—"
    return ngettext("{n} day late", "{n} days late", -days).format(n=-days) if days < 0 \
        else f"{days}"


def _state(row: dict[str, Any]) -> str:
    """The table's status cell: « drafted · letter 12 » when a letter answers the request."""
    status = _status(row["status"])
    return _("{status} · letter {letter}").format(status=status, letter=row["letter"]) \
        if row["letter"] else status


def _more(more: int) -> str:
    return ngettext("and {n} more: letterkit inbox lists them all",
                    "and {n} more: letterkit inbox lists them all", more).format(n=more)


def _e(text: object) -> str:
    return html.escape(str(text))


def pdf(page_html: str, root: Path) -> bytes:
    """The overview's PDF, laid out by WeasyPrint with the bundled fonts."""
    from letterkit.formats.pdf import PdfWriter

    data, _left_out = PdfWriter(STYLESHEET, [root]).write(page_html, root)
    return data
