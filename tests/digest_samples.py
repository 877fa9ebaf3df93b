"""Ranked organizations built by hand for the digest tests, hostile text included."""
from datetime import date, timedelta

from sqlalchemy.engine import Engine

from radar.rank.score import Contribution, OrgView, Ranked, SignalView

TODAY = date(2026, 11, 26)  # a Thursday in ISO week 2026-W48
HOSTILE = '<script>alert("x")</script><img src="http://evil.example/pixel.gif" onerror="alert(1)">'


def signal(i: int, kind: str, subtype: str | None, days_ago: int, evidence: str, url: str | None) -> SignalView:
    return SignalView(i, kind, subtype, TODAY - timedelta(days=days_ago), 0.9, evidence, {}, url)


def ranked_sample() -> list[Ranked]:
    s1 = signal(1, "funding", "series_b", 3, "Northwind Ledger raised $42 million in a Series B led by Harbor Peak.",
                "https://news.example.com/northwind?id=1&ref=rss")
    s2 = signal(2, "leadership_change", "appointed", 20, "Northwind Ledger named a new CTO.",
                "https://news.example.com/cto")
    s3 = signal(3, "search_mandate", None, 10, f"Evil Corp {HOSTILE} is hiring", "javascript:alert(document.cookie)")
    northwind = OrgView(1, "Northwind Ledger", ["fintech"],
                        signals=[s1, s2, signal(4, "expansion", None, 60, "x", None)])
    evil = OrgView(2, f"Evil {HOSTILE} Corp", ["ai_software"], signals=[s3])
    quiet = OrgView(3, "Quillfeather AI", [],
                    signals=[signal(5, "product_launch", None, 40, "Quillfeather launched Quill.", None)])
    return [
        Ranked(northwind, 2.0, {"signals": 2.0}, [Contribution(s1, 1.5, {}), Contribution(s2, 0.5, {})],
               brief=[{"text": "Their payments platform must scale after the Series B.", "signal_id": 1}],
               warm_paths=[{"name": "Ada Byron", "position": "VP Product", "company": "Harbor Peak",
                            "via": "investor"}],
               recruiters=[{"firm": "Spencer Search", "role": "VP Engineering", "evidence": "Spencer is retained",
                            "url": "https://news.example.com/spencer", "date": "2026-11-20"}]),
        Ranked(evil, 1.0, {"signals": 1.0}, [Contribution(s3, 1.0, {})],
               brief=[{"text": f"Brief {HOSTILE}", "signal_id": 3}],
               warm_paths=[{"name": f"Mallory {HOSTILE}", "position": "", "company": "", "via": ""}],
               recruiters=[{"firm": f"Bad Firm {HOSTILE}", "role": "", "evidence": "",
                            "url": "javascript:alert(2)", "date": ""}]),
        Ranked(quiet, 0.5, {"signals": 0.5}, [Contribution(quiet.signals[0], 0.5, {})]),
    ]


def seed(engine: Engine, today: date) -> None:
    """Three organizations with recent signals in the database, one with a hostile name."""
    from radar.db import session_scope
    from radar.models import Organization, Signal

    rows = [
        ("Northwind Ledger", "funding", "series_b", 3, "Northwind Ledger raised $42 million in a Series B.",
         "https://news.example.com/northwind?a=1&b=2"),
        (f"Evil {HOSTILE} Corp", "funding", "series_a", 5, f"Evil Corp {HOSTILE} raised money.", "javascript:alert(1)"),
        ("Quillfeather AI", "leadership_change", "appointed", 8, "Quillfeather AI appointed a VP of Engineering.",
         "https://news.example.com/quill"),
    ]
    with session_scope(engine) as s:
        for i, (name, kind, sub, ago, evidence, url) in enumerate(rows):
            org = Organization(name=name, normalized=name.lower())
            s.add(org)
            s.flush()
            assert org.id is not None
            s.add(Signal(key=f"k{i}-{name[:5]}", organization_id=org.id, type=kind, subtype=sub,
                         event_date=today - timedelta(days=ago), confidence=0.9, evidence=evidence, url=url,
                         attributes={"round": sub} if kind == "funding"
                         else {"title": "VP of Engineering", "function": "engineering", "seniority": "vp"}))
