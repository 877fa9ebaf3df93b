"""Within one document, a headline and its body sentence report one event: the fuller report wins."""
from radar.nlp.candidates import Candidate
from radar.nlp.detect import merge


def test_tie_prefers_the_fuller_report_and_unions_investors() -> None:
    headline = Candidate("funding", "Northwind Ledger", "series_b", 0.85, "Northwind Ledger lands $42M Series B",
                         {"round": "series_b", "amount": 42e6, "investors": ["Harbor Peak Ventures"],
                          "lead_investor": None})
    body = Candidate("funding", "Northwind Ledger", "series_b", 0.85,
                     "Northwind Ledger raised $42 million in a Series B round led by Harbor Peak Ventures, "
                     "with Fernhollow Capital.",
                     {"round": "series_b", "amount": 42e6, "lead_investor": "Harbor Peak Ventures",
                      "investors": ["Harbor Peak Ventures", "Fernhollow Capital"]})
    for order in ([headline, body], [body, headline]):
        (got,) = merge([Candidate(c.type, c.org, c.subtype, c.confidence, c.evidence, dict(c.attributes))
                        for c in order])
        assert got.evidence.startswith("Northwind Ledger raised")
        assert got.attributes["investors"] == ["Harbor Peak Ventures", "Fernhollow Capital"]
        assert got.attributes["lead_investor"] == "Harbor Peak Ventures"
