"""The weekly digest: ranked organizations, why now, evidence, warm paths and links.

view.py turns the ranking into plain data; markdown.py, text.py and html.py render it;
chart.py draws each organization's signals over time; mail.py delivers it; weekly.py is
the once-per-ISO-week job that ties them together.
"""
