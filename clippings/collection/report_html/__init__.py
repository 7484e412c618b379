"""``clippings report DIR --to report.html``: one self-contained HTML file.

No script, no external style, font or image: the styles are inline and the charts are SVG
drawn by matplotlib (the optional extra ``clippings[report]``), their text turned into
paths, so the file looks the same on any machine and opens with no network. Each chart has
its figures in a table below it. Titles in Arabic are shown right to left. Output is
deterministic for the same collection, history and clock.
"""

from clippings.collection.report_html.charts import MissingPlotting
from clippings.collection.report_html.page import render

__all__ = ["MissingPlotting", "render"]
