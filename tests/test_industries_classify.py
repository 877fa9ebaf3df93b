"""Industries of an organization: EDGAR SIC and Form D groups, source industries, keyword cues."""
import re
from collections import Counter
from pathlib import Path

import pytest

from radar.errors import ConfigError
from radar.industries import Evidence, check_industries, classify, from_formd, from_sic, keyword_cues, sentences_about
from radar.settings import Settings
from tests.conftest import corpus_or_skip


def test_sic_codes_and_ranges_map_onto_the_catalog() -> None:
    assert from_sic(7372) == ["ai_software"]
    assert from_sic(6021) == ["fintech"]
    assert from_sic(6770) == []  # blank checks are financing vehicles, deliberately unmapped
    assert "manufacturing_industrial" in from_sic(3674)


def test_form_d_groups_map_case_insensitively() -> None:
    assert from_formd("Other Banking and Financial Services") == ["fintech"]
    assert from_formd("biotechnology") == ["health_biotech"]
    assert from_formd("REITS and Finance") == []


def test_keywords_are_whole_words_and_need_two_cues() -> None:
    assert "fintech" not in keyword_cues(["The repayments schedule was published."])
    one = classify(Evidence(texts=["Acme launched a neobank."]))
    assert one == []
    two = classify(Evidence(texts=["Acme, a neobank, offers card issuing."]))
    assert two[0][0] == "fintech" and "keywords: card issuing, neobank" in two[0][1]


def test_filer_statements_outweigh_keywords_and_sources_add_up() -> None:
    got = classify(Evidence(sic=7372, source_industries=Counter({"fintech": 3, "general": 5, "ai_software": 1}),
                            texts=["Acme sells observability and kubernetes tooling."]))
    assert [k for k, _ in got][:2] == ["ai_software", "fintech"]
    assert any("EDGAR SIC 7372" in o for o in dict(got)["ai_software"])
    assert "general" not in dict(got)


def test_only_sentences_about_the_organization_count() -> None:
    text = "Acme hired a CFO. Meanwhile Globex, a neobank with card issuing, raised money."
    assert sentences_about(text, ["Acme"]) == ["Acme hired a CFO."]


def test_sentences_about_a_text_split_once_match_splitting_each_time() -> None:
    """The split text (lowercased in one call when ASCII) finds the sentences that lowercasing
    each sentence finds, for one name or several, ASCII or not."""
    import random

    from radar.industries import split_sentences

    rng = random.Random(15)
    words = ["Acme", "ACME", "Globex", "globex's", "İstanbul", "ΣΟΦΙΑ", "Straße", "raised", "hired", "e.on", "Inc."]
    seps = [" ", ". ", "! ", "? ", "\n", "\n\n", ".\n", " - "]
    for _ in range(400):
        text = "".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(0, 12)))
        names = rng.sample(["Acme", "Globex", "ΣΟΦΙΑ", "İstanbul", "E.ON", "Ac"], rng.randint(0, 3))
        keys = [n.lower() for n in names if len(n) >= 3]
        expected = [p for p in re.split(r"(?<=[.!?])\s+|\n+", text) if any(k in p.lower() for k in keys)]
        assert sentences_about(text, names) == expected, (text, names)
        assert sentences_about(split_sentences(text), (), keys) == expected, (text, names)


def test_unknown_industries_are_refused_with_the_valid_ones(tmp_path: Path) -> None:
    from radar.settings import load_settings

    with pytest.raises(ConfigError, match="available: .*fintech"):
        check_industries(["fintec"], "--industry")
    bad = tmp_path / "radar.toml"
    bad.write_text('[profile]\nindustries = ["fintec"]\n')
    with pytest.raises(ConfigError, match="profile.industries"):
        load_settings(bad)
    assert Settings.model_validate({"profile": {"industries": ["fintech"]}}).profile.industries == ["fintech"]


def test_real_edgar_filings_classify_by_their_declared_sic_and_form_d_group() -> None:
    corpus = corpus_or_skip()
    sic_seen = {}
    for f in sorted((corpus / "edgar" / "8-K" / "full_submissions").iterdir()):
        m = re.search(r"STANDARD INDUSTRIAL CLASSIFICATION:.*\[(\d{4})\]", f.read_text(encoding="latin-1"))
        if m:
            sic_seen[int(m.group(1))] = [k for k, _ in classify(Evidence(sic=int(m.group(1))))]
    assert sic_seen[7372] == ["ai_software"]  # Adobe
    assert sic_seen[6021] == ["fintech"]  # JPMorgan
    assert sic_seen[2834] == ["health_biotech"]  # pharmaceutical preparations
    assert sic_seen[6189] == []  # asset-backed securities: no employer
    groups = {}
    for f in (corpus / "edgar" / "form-D").iterdir():
        m = re.search(r"<industryGroupType>([^<]+)", f.read_text(encoding="utf-8", errors="replace"))
        if m:
            groups[m.group(1).strip()] = [k for k, _ in classify(Evidence(formd_group=m.group(1).strip()))]
    assert groups["Other Banking and Financial Services"] == ["fintech"]
    assert groups["Pooled Investment Fund"] == ["startups_venture"]
    assert groups["REITS and Finance"] == []


def test_one_pass_cues_find_what_each_industrys_pattern_finds() -> None:
    """keyword_cues scans lowercased ASCII text once for every industry; it must find exactly
    what each industry's own pattern finds, overlaps and word boundaries included."""
    import random

    from radar.industries import NOT_CLASSIFIED, catalog, keyword_cues

    def by_patterns(text: str) -> dict[str, list[str]]:
        lowered = text.lower()
        out = {}
        for key, ind in catalog().items():
            if ind.ascii_pattern is not None and key not in NOT_CLASSIFIED:
                found = sorted({m.group(0) for m in ind.ascii_pattern.finditer(lowered)})
                if found:
                    out[key] = found
        return out

    words = sorted({w for ind in catalog().values() for k in ind.keywords for w in (k, *k.split())})
    rng = random.Random(15)
    texts = ["Machine-learning, AI and e-commerce; fintech_payments 3d printing.",
             " ".join(words), "-".join(words), "".join(words[:40])]
    texts += [rng.choice(("", " ", "-", ". ", "_", "s ")).join(rng.sample(words, 12)) for _ in range(300)]
    for text in texts:
        assert keyword_cues([text]) == by_patterns(text), text
