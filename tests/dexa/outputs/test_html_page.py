"""The clinician's page as text and markup: what it says (the motivating case in one screen),
that it loads nothing, that it is accessible, and that a patient with four visits gets four
points per site and the LSC band."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dexa.outputs.html import patient_page, plan_page
from tests.dexa.outputs.builders import (
    FOUR_DATES,
    FOUR_SITES,
    NAME_TOKENS,
    four_visit_reports,
    four_visits,
    motivating_report,
    view,
)


class Page(HTMLParser):
    """The parts of a page the tests read: text per element path, tags with attributes,
    heading levels, and the text of the first ``.decision`` section."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.decision: list[str] = []
        self._in_decision = 0
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("style", "title") and not self._in_decision:
            self._skip += 1
        if self._in_decision:
            self._in_decision += 1
        elif "decision" in attributes.get("class", "").split() and not self.decision:
            self._in_decision = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title") and self._skip:
            self._skip -= 1
        if self._in_decision:
            self._in_decision -= 1
            if not self._in_decision:
                self.decision.append("\0")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._in_decision and (not self.decision or self.decision[-1] != "\0"):
            self.decision.append(data)

    def words(self) -> str:
        return " ".join(" ".join(self.text).split())

    def decision_words(self) -> str:
        return " ".join(" ".join(d for d in self.decision if d != "\0").split())

    def find(self, tag: str, cls: str | None = None) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag
                and (cls is None or cls in a.get("class", "").split())]


@pytest.fixture(scope="module")
def motivating_html() -> str:
    return plan_page(view(motivating_report()))


@pytest.fixture(scope="module")
def patient_html() -> str:
    return patient_page(four_visits())


# --- what it says --------------------------------------------------------------------------

def test_motivating_case_reads_in_one_screen(motivating_html: str) -> None:
    page = Page(motivating_html)
    first = page.decision_words()  # the first block after the page header
    for phrase in ("Low bone mass (osteopenia): lowest T-score \u22122.0 at the left femoral "
                   "neck CLS-2",
                   "No drug now: FRAX below both thresholds TX-B4",
                   "FRAX major osteoporotic 9.0 %, hip 1.6 %",
                   "Calcium 1200 mg/day NP-1", "Vitamin D NP-3", "Exercise NP-5",
                   "Repeat DXA in about a year (12 months), around 2025-03-14 MON-3d"):
        assert phrase in first, phrase
    assert "Source: NOF 2014; BHOF 2022" in first and "Source: Gourlay 2012" in first
    everything = page.words()
    assert everything.index("Decision at a glance") < everything.index("Recommendations")


def test_plan_page_gives_every_recommendation_flag_and_trend(motivating_html: str) -> None:
    plan = view(motivating_report()).plan
    words = Page(motivating_html).words()
    for r in plan.recommendations:
        assert " ".join(r.text.split()) in words and r.code in words
    assert "LSC_FALLBACK SER-6 No facility LSC for a site" in words
    assert "left femoral neck 2021-05-02 0.612 0.618 +0.006 0.042" in words
    assert "Every value passed validation." in words
    assert "not a diagnosis" in words


def test_a_failed_validation_and_an_indeterminate_plan_say_so() -> None:
    visit = view(motivating_report())
    plan = visit.plan.model_copy(update={
        "classification": "indeterminate", "lowest": None, "pharmacotherapy": "indeterminate",
        "validation": visit.plan.validation.model_copy(update={
            "passed": False, "failed_expectations": ["t_score_range"]})})
    words = Page(plan_page(visit.__class__(key=visit.key, plan=plan, reports=visit.reports))
                 ).words()
    assert "Validation failed: t_score_range" in words
    assert "No category could be given" in words


# --- self-contained, no name ---------------------------------------------------------------

@pytest.mark.parametrize("which", ["motivating_html", "patient_html"])
def test_page_loads_nothing(which: str, request) -> None:
    html = request.getfixturevalue(which)
    page = Page(html)
    assert not page.find("script") and not page.find("link") and not page.find("iframe")
    assert not page.find("img") and not page.find("object") and not page.find("embed")
    for _, attributes in page.tags:
        for name in ("src", "href", "xlink:href", "srcset", "action", "data"):
            value = attributes.get(name)
            assert value is None or value.startswith("#"), (name, value)
    assert not re.search(r"@import|@font-face|url\((?!#)", html)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    (csp,) = [a for a in page.find("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp["content"].startswith("default-src 'none'")


@pytest.mark.parametrize("which", ["motivating_html", "patient_html"])
def test_no_name_and_the_patient_id_once(which: str, request) -> None:
    html = request.getfixturevalue(which)
    for token in NAME_TOKENS:
        assert token.lower() not in html.lower()
    patient_id = "MRN001" if which == "motivating_html" else "MRN004"
    assert html.count(patient_id) == 1
    assert patient_id not in html[html.index("<title>"):html.index("</title>")]


def test_the_patient_id_can_be_masked() -> None:
    html = patient_page(four_visits(), mask_patient_id=True)
    assert "MRN004" not in html and "\u2022\u2022\u2022004" in html


# --- accessible ----------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["motivating_html", "patient_html"])
def test_page_is_accessible(which: str, request) -> None:
    html = request.getfixturevalue(which)
    page = Page(html)
    (root,) = page.find("html")
    assert root["lang"] == "en"
    assert re.search(r"<title>[^<]+</title>", html)
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    for svg in page.find("svg"):
        assert svg["role"] == "img"
        labels = svg["aria-labelledby"].split()
        assert [f"{svg['id']}-title", f"{svg['id']}-desc"] == labels
        assert re.search(rf'<title id="{svg["id"]}-title">[^<]+</title>', html)
        assert re.search(rf'<desc id="{svg["id"]}-desc">[^<]*BMD[^<]+</desc>', html)
    assert "@media print" in html
    for th in page.find("th"):
        assert th.get("scope") in ("col", "row")


# --- the patient page ----------------------------------------------------------------------

def test_four_visits_give_four_points_per_site_and_the_lsc_band(patient_html: str) -> None:
    page = Page(patient_html)
    charts = page.find("svg", "chart")
    assert len(charts) == len(FOUR_SITES) == 3
    for chart in charts:
        body = patient_html[patient_html.index(f'id="{chart["id"]}"'):]
        body = body[:body.index("</svg>")]
        points = re.findall(r'<g id="[^"]+" class="point (\w[\w-]*)" data-date="([\d-]+)" '
                            r'data-bmd="([\d.]+)"', body)
        assert [d for _, d, _ in points] == list(FOUR_DATES)
        assert points[0][0] == "baseline"
        assert body.count('class="lsc-band"') == 1
    fn = patient_html[patient_html.index('id="chart-1-left-femoral-neck"'):]
    fn = fn[:fn.index("</svg>")]
    statuses = re.findall(r'class="point ([\w-]+)"', fn)
    assert statuses == ["baseline", "loss", "stable", "gain"]
    assert 'data-center="0.605" data-lsc="0.042"' in fn  # 2022 prior, SER-6 6.9 %


def test_patient_page_history_newest_first_and_next_dxa(patient_html: str) -> None:
    words = Page(patient_html).words()
    latest = four_visits()[-1]
    assert latest.next_dxa is not None
    assert f"Next DXA {latest.next_dxa.isoformat()}" in words
    visits = re.findall(r"Visit of (\d{4}-\d\d-\d\d)", words)
    assert visits == list(reversed(FOUR_DATES))
    history = words[words.index("Classification history"):words.index("Visits Visit of")]
    assert re.findall(r"\d{4}-\d\d-\d\d Low bone mass", history) == [
        f"{d} Low bone mass" for d in reversed(FOUR_DATES)]
    assert "0.650 significant gain: +0.045 g/cm\u00b2 since 2022-03-03, LSC 0.042" in words


def test_pages_are_deterministic() -> None:
    assert patient_page(four_visits()) == patient_page(four_visits())
    assert plan_page(view(motivating_report())) == plan_page(view(motivating_report()))


def test_patient_page_refuses_no_visit_or_two_patients() -> None:
    with pytest.raises(ValueError):
        patient_page([])
    with pytest.raises(ValueError):
        patient_page([*four_visits(), view(motivating_report())])


def test_plan_page_lists_earlier_visits() -> None:
    *earlier, latest = four_visits()
    visit = latest.__class__(key=latest.key, plan=latest.plan, reports=latest.reports,
                             earlier=tuple(earlier))
    words = Page(plan_page(visit)).words()
    assert "Earlier visits" in words
    assert re.findall(r"(\d{4}-\d\d-\d\d) Low bone mass", words[words.index("Earlier visits"):]
                      ) == list(reversed(FOUR_DATES[:-1]))


def test_one_visit_gives_one_point_and_says_why_there_is_no_band() -> None:
    report = four_visit_reports()[0]  # the first visit: no prior
    html = patient_page([view(report)])
    assert len(re.findall(r'class="point baseline"', html)) == len(FOUR_SITES)
    assert 'class="lsc-band"' not in html
    assert "No LSC band: the latest scan has no prior at this site" in Page(html).words()


def test_a_not_comparable_latest_scan_draws_no_band() -> None:
    *earlier, last = four_visit_reports()
    last = last.model_copy(update={"priors": [
        p.model_copy(update={"device": "Horizon A", "cross_calibrated": False})
        for p in last.priors]})
    html = patient_page([*(view(r) for r in earlier), view(last)])
    assert 'class="lsc-band"' not in html
    assert html.count('class="point not-comparable"') == len(FOUR_SITES)
    assert "not comparable with the prior of 2022-03-03" in Page(html).words()


def test_report_text_is_escaped() -> None:
    report = motivating_report()
    report = report.model_copy(update={"source": report.source.model_copy(
        update={"device": '<script>alert("x")</script>'})})
    html = plan_page(view(report))
    assert "<script" not in html and "&lt;script&gt;" in html
