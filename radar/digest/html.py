"""The digest as HTML: one Jinja2 template, autoescaped, inline CSS, no external resources.

`email=True` draws the charts as table cells (mail clients drop SVG); a file for a
browser gets inline SVG. Everything from the web is escaped by the template engine.
"""
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from radar.digest.chart import cells, svg
from radar.digest.view import CHART_WEEKS, DigestView

_env = Environment(
    loader=PackageLoader("radar.digest", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(chart_svg=svg, chart_cells=cells, weeks=CHART_WEEKS)


def render_html(view: DigestView, title: str = "radar digest", email: bool = True) -> str:
    return _env.get_template("digest.html.j2").render(view=view, title=title, email=email)
