"""BMD over time at one site as an inline, accessible SVG (matplotlib's SVG backend).

One point per visit, shaped and coloured by the visit's trend status at the site (gain, loss,
no significant change, not comparable, or no prior), and the least-significant-change band
(prior BMD ± LSC, ISCD SER-5) around the last prior, from the prior's date to the latest visit:
a point outside the band is a significant change. The SVG is made for inlining in HTML: no
XML prolog, no external reference, ids prefixed with the chart's id, ``role="img"`` with a
``<title>`` and a ``<desc>``, and every point a ``<g class="point">`` with its own ``<title>``.

matplotlib is imported on first use (~0.35 s), so only the pages with charts pay for it.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

__all__ = ["Band", "Point", "STATUS_STYLE", "SiteSeries", "site_chart_svg"]


@dataclass(frozen=True)
class Point:
    day: date
    bmd: float
    status: str | None  # the visit's trend status at this site; None: no prior to compare


@dataclass(frozen=True)
class Band:
    center: float  # the prior's BMD
    lsc: float
    start: date  # the prior's date
    end: date  # the latest visit's date
    prior_is_visit: bool  # False: the prior is known only from the report's own trend table


@dataclass(frozen=True)
class SiteSeries:
    slug: str  # for ids: 'left-femoral-neck'
    title: str  # 'Left femoral neck'
    points: tuple[Point, ...]  # oldest first
    band: Band | None
    band_note: str  # why there is no band, or what it is


# status -> (marker, colour, legend words). Shape and colour both carry the meaning.
STATUS_STYLE: dict[str | None, tuple[str, str, str]] = {
    "gain": ("^", "#1a7f37", "significant gain (\u2265 LSC)"),
    "loss": ("v", "#b42318", "significant loss (\u2265 LSC)"),
    "stable": ("o", "#1f5fa8", "no significant change"),
    "not-comparable": ("D", "#6b4fa0", "not comparable with the prior"),
    None: ("s", "#57606a", "no prior to compare"),
}
_INK, _MUTED, _BAND = "#1f2328", "#57606a", "#1f5fa8"
_LOCK = threading.Lock()


def site_chart_svg(series: SiteSeries, chart_id: str, desc: str) -> str:
    """The chart as an SVG element ready to inline; ``desc`` is its text alternative."""
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no global figure manager or backend

    # rc_context sets matplotlib's process-wide rcParams; the lock keeps one chart's salt
    # (hence its deterministic ids) and fonts from leaking into a chart drawn by another thread
    with _LOCK, matplotlib.rc_context({"svg.hashsalt": chart_id, "svg.fonttype": "none",
                                "font.size": 10, "axes.edgecolor": _MUTED,
                                "xtick.color": _INK, "ytick.color": _INK,
                                "axes.labelcolor": _INK}):
        fig = Figure(figsize=(7.2, 3.0), layout="constrained")
        ax = fig.add_subplot()
        _draw(ax, series)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None,
                                                    "Format": None, "Type": None})
    return _inline(buffer.getvalue(), series, chart_id, desc)


def _draw(ax, series: SiteSeries) -> None:
    from matplotlib.dates import DateFormatter

    days = [p.day for p in series.points]
    values = [p.bmd for p in series.points]
    band = series.band
    lows, highs = list(values), list(values)
    if band is not None:
        ax.fill_between([band.start, band.end], band.center - band.lsc, band.center + band.lsc,
                        color=_BAND, alpha=0.14, linewidth=0, gid="lsc-band",
                        label=f"LSC band \u00b1{band.lsc:.3f} g/cm\u00b2 around the prior")
        for y in (band.center - band.lsc, band.center + band.lsc):
            ax.plot([band.start, band.end], [y, y], color=_BAND, linewidth=0.8,
                    linestyle=(0, (4, 3)))
        ax.plot([band.start, band.end], [band.center, band.center], color=_BAND,
                linewidth=0.8, linestyle=":")
        lows.append(band.center - band.lsc)
        highs.append(band.center + band.lsc)
        if not band.prior_is_visit:
            ax.plot([band.start], [band.center], marker="o", markersize=7, linestyle="none",
                    markerfacecolor="white", markeredgecolor=_MUTED, gid="prior",
                    label="prior (from the report)")
    if len(series.points) > 1:
        ax.plot(days, values, color=_MUTED, linewidth=1.2, zorder=2)
    seen: set[str | None] = set()
    for i, p in enumerate(series.points):
        marker, colour, words = STATUS_STYLE.get(p.status, STATUS_STYLE[None])
        hollow = p.status == "not-comparable"
        ax.plot([p.day], [p.bmd], marker=marker, markersize=9, linestyle="none", zorder=3,
                markerfacecolor="white" if hollow else colour, markeredgecolor=colour,
                markeredgewidth=1.6, gid=f"pt-{i}",
                label=None if p.status in seen else words)
        seen.add(p.status)
        ax.annotate(f"{p.bmd:.3f}", (p.day, p.bmd), textcoords="offset points",
                    xytext=(0, 9), ha="center", fontsize=9, color=_INK)
    start = min(days + ([band.start] if band else []))
    end = max(days)
    pad = max((end - start) * 0.08, timedelta(days=90))
    ax.set_xlim(start - pad, end + pad)
    low, high = min(lows), max(highs)
    margin = max((high - low) * 0.25, 0.02)
    ax.set_ylim(low - margin, high + margin * 1.4)
    ticks = sorted(set(days + ([band.start] if band and not band.prior_is_visit else [])))
    if len(ticks) <= 8:
        ax.set_xticks(ticks)
    ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    ax.set_ylabel("BMD (g/cm\u00b2)")
    ax.grid(axis="y", color="#d0d7de", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False,
              fontsize=9, handletextpad=0.4, columnspacing=1.2)


_PROLOG = re.compile(r"\A.*?(?=<svg)", re.S)
_ROOT = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')
_STYLE = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", re.S)


def _inline(svg: str, series: SiteSeries, chart_id: str, desc: str) -> str:
    svg = _PROLOG.sub("", svg, count=1)
    svg = _STYLE.sub("", svg, count=1)  # its `*` rule would reach the whole page
    svg = svg.replace(' id="', f' id="{chart_id}-').replace('href="#', f'href="#{chart_id}-')
    svg = svg.replace("url(#", f"url(#{chart_id}-")
    view_box = _VIEWBOX.search(svg)
    assert view_box is not None, "matplotlib wrote an SVG without a viewBox"
    root = (f'<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" id="{chart_id}" class="chart" '
            f'viewBox="{view_box.group(1)}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{escape(series.title)}: BMD over time</title>'
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>')
    svg = _ROOT.sub(lambda _: root, svg, count=1)
    for i, p in enumerate(series.points):
        words = STATUS_STYLE.get(p.status, STATUS_STYLE[None])[2]
        status = p.status or "baseline"
        svg = svg.replace(
            f'<g id="{chart_id}-pt-{i}">',
            f'<g id="{chart_id}-pt-{i}" class="point {status}" data-date="{p.day.isoformat()}"'
            f' data-bmd="{p.bmd:.3f}"><title>{p.day.isoformat()}: {p.bmd:.3f} g/cm\u00b2, '
            f'{escape(words)}</title>', 1)
    if series.band is not None:
        b = series.band
        svg = svg.replace(
            f'<g id="{chart_id}-lsc-band">',
            f'<g id="{chart_id}-lsc-band" class="lsc-band" data-center="{b.center:.3f}" '
            f'data-lsc="{b.lsc:.3f}"><title>LSC band: {b.center - b.lsc:.3f} to '
            f'{b.center + b.lsc:.3f} g/cm\u00b2 (prior {b.center:.3f} on {b.start.isoformat()}'
            f' \u00b1 {b.lsc:.3f})</title>', 1)
    return svg.strip()
