"""The digest renderers: every section present, hostile web text inert, no external resources."""
from html.parser import HTMLParser
from typing import Optional

import pytest

from radar.digest.chart import cells, svg, weekly_counts
from radar.digest.html import render_html
from radar.digest.markdown import markdown_from_view, render_markdown
from radar.digest.text import render_text
from radar.digest.view import DigestView, build_view, safe_url
from tests.digest_samples import HOSTILE, TODAY, ranked_sample


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    return c


@pytest.fixture
def view() -> DigestView:
    return build_view(ranked_sample(), TODAY, previous=["Quillfeather AI", "Old Org"],
                      previous_week="2026-W47", name="Dana")


@pytest.mark.parametrize("email", [True, False])
def test_html_has_no_script_no_external_resource_and_only_safe_links(view: DigestView, email: bool) -> None:
    doc = parse(render_html(view, email=email))
    assert not {"script", "img", "link", "iframe", "object", "embed", "style", "form"} & set(doc.tags)
    for tag, name, value in doc.attrs:
        assert not name.startswith("on"), (tag, name)
        assert name != "src", (tag, name, value)
        if name == "href":
            assert value.startswith(("https://news.example.com/", "#org-")), value
        assert "url(" not in value and "javascript:" not in value.lower()
    text = "".join(doc.text)
    # The hostile markup survives only as visible text.
    assert HOSTILE in text
    assert "Evil " + HOSTILE + " Corp" in text


def test_html_shows_every_section(view: DigestView) -> None:
    html = render_html(view)
    text = "".join(parse(html).text)
    for needle in ("radar digest: week 2026-W48", "1. Northwind Ledger", "Why now:", "Series B led by Harbor Peak",
                   "Audition brief", "Their payments platform must scale", "Warm paths:",
                   "Ada Byron (VP Product, Harbor Peak), via investor", "Recruiter:",
                   "Spencer Search is running a search for VP Engineering", "New since the 2026-W47 digest:",
                   "No longer in the list: Old Org", "NEW"):
        assert needle in text, needle
    assert 'href="https://news.example.com/northwind?id=1&amp;ref=rss"' in html
    # Quillfeather was in last week's digest: not marked new; the other two are.
    assert [i.name for i in view.new_items] == ["Northwind Ledger", f"Evil {HOSTILE} Corp"]


def test_email_chart_is_table_cells_and_file_chart_is_svg(view: DigestView) -> None:
    email, page = render_html(view, email=True), render_html(view, email=False)
    assert "<svg" not in email and 'role="img"' in email
    assert email.count('aria-label="3 signals in the last 12 weeks') == 1
    assert page.count("<svg") == 3


def test_score_bar_is_relative_to_the_top_score(view: DigestView) -> None:
    assert [round(i.bar, 2) for i in view.items] == [1.0, 0.5, 0.25]
    assert 'width="50%"' in render_html(view)


def test_weekly_counts_bucket_by_iso_week() -> None:
    from datetime import timedelta

    monday = TODAY - timedelta(days=TODAY.weekday())
    days = [TODAY, monday, monday - timedelta(days=1), monday - timedelta(days=7 * 11), monday - timedelta(days=7 * 12),
            TODAY + timedelta(days=7)]
    # This week: Thursday and Monday; last week: Sunday; 11 weeks back: the first bucket; 12 weeks and the future: out.
    assert weekly_counts(days, TODAY, 12) == [1] + [0] * 9 + [1, 2]


def test_charts_are_pure_markup_of_numbers() -> None:
    s = svg([0, 1, 3])
    assert s.startswith("<svg") and "<title>4 signals in the last 3 weeks, 3 this week</title>" in s
    assert cells([0, 2]).count("<td") == 2


def test_plain_text_part_has_content_and_links(view: DigestView) -> None:
    text = render_text(view)
    assert "1. Northwind Ledger  [NEW]" in text and "https://news.example.com/northwind?id=1&ref=rss" in text
    assert "Audition brief:" in text and "Recruiter: Spencer Search" in text
    assert "javascript:" not in text
    assert all(len(line) <= 90 for line in text.splitlines() if "http" not in line)


def test_markdown_makes_web_text_inert(view: DigestView) -> None:
    md = markdown_from_view(view)
    assert "<script>" not in md and "<img" not in md and "javascript:" not in md
    assert "&lt;script&gt;" in md
    assert "([source](<https://news.example.com/northwind?id=1&ref=rss>))" in md
    assert "## 1. Northwind Ledger" in md and "**Audition brief:**" in md


def test_markdown_keeps_ampersands_readable() -> None:
    from radar.digest.markdown import _md

    assert _md("Procter & Gamble, AT&T") == "Procter & Gamble, AT&T"
    assert _md("a &lt;b&gt; <i>") == "a &amp;lt;b&amp;gt; &lt;i&gt;"  # no entity turns into markup


def test_markdown_wrapper_kept_for_run_and_demo() -> None:
    md = render_markdown(ranked_sample(), TODAY)
    assert md.startswith("# radar digest: week 2026-W48") and md.count("\n## ") == 3
    assert "New since" not in md  # no previous digest to compare with


def test_empty_digest_says_so() -> None:
    view = build_view([], TODAY)
    assert "No organization has a signal" in render_html(view)
    assert "No organization has a signal" in render_text(view)


@pytest.mark.parametrize("url,ok", [
    ("https://a.example/x?y=1&z=2", True), ("http://a.example", True), ("javascript:alert(1)", False),
    ("data:text/html,hi", False), ('https://a.example/"onmouseover="x', False),
    ("ftp://a.example", False), (None, False),
])
def test_safe_url(url: str | None, ok: bool) -> None:
    assert bool(safe_url(url)) is ok


def test_clean_drops_c0_and_c1_control_characters() -> None:
    from radar.digest.view import clean

    # ESC and the 8-bit CSI (\x9b) would be terminal escapes in the text part or a Markdown file.
    assert clean("a\x1b[2Jb\x9b31mc\x85d") == "a [2Jb 31mc d"
