"""Training pieces that run in seconds: seeded fits and the classifier's word-class markers."""
from radar.nlp import classifier, markers
from radar.nlp.train import LabelledSentence, fit_textcat
from radar.vocabulary import SIGNAL_TYPES


def _sentences() -> list[LabelledSentence]:
    def cats(t: str | None) -> dict[str, float]:
        return {x: float(x == t) for x in SIGNAL_TYPES}

    pos = ["Acme cut 300 jobs at its plant.", "Beta Labs will lay off 40 workers.", "Gamma slashed 12% of its staff."]
    neg = ["The weather was mild on Tuesday.", "Shares rose 2% in early trading.", "The museum reopened after repairs."]
    return [LabelledSentence(markers.mark(s), cats("layoffs")) for s in pos] + [
        LabelledSentence(markers.mark(s), cats(None)) for s in neg]


def test_the_same_seed_gives_the_same_model() -> None:
    a, b = (fit_textcat(_sentences(), epochs=2, seed=7, repeat=3) for _ in range(2))
    probe = markers.mark("Delta to cut 500 jobs")
    assert a(probe).cats == b(probe).cats


def test_a_model_trained_on_marked_sentences_reads_them_marked() -> None:
    nlp = fit_textcat(_sentences(), epochs=2, seed=0)
    nlp.meta["radar"] = {"markers": True}
    raw = "Delta to cut 500 jobs"
    assert classifier.classify([raw], nlp) == [dict(nlp(markers.mark(raw)).cats)]
    nlp.meta["radar"] = {"markers": False}
    assert classifier.classify([raw], nlp) == [dict(nlp(raw).cats)]


def test_markers_name_word_classes_not_common_words() -> None:
    assert markers.markers("Kingfisher Airlines has decided to enter an alliance with Jet Airways") == ["xxpartner"]
    assert markers.markers("Microsoft and Yahoo team up on messaging") == ["xxpartner"]
    assert "xxjobcount" in markers.markers("Acme laid off 300 workers")
    assert markers.markers("The company announced its results on Tuesday.") == []
