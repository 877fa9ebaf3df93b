"""Known organizations: the gazetteer in front of the NER, and extraction topping them up
between runs in one process instead of reading every organization again."""
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar import extract as extract_module
from radar.entities.known import KnownOrganizations
from radar.extract import extract
from radar.models import Organization
from radar.nlp.model import GAZETTEER, gazetteer, learn_names, load_pipeline, with_gazetteer
from tests.test_extract_store import add_doc


@pytest.fixture
def nlp() -> Iterator[object]:
    pipeline = with_gazetteer(load_pipeline(), [])
    yield pipeline
    with_gazetteer(pipeline, [])  # the pipeline is shared by the process: leave it bare


def orgs(nlp: object, text: str) -> list[str]:
    return [e.text for e in nlp(text).ents if e.label_ == "ORG"]  # type: ignore[operator]


def test_gazetteer_tags_known_names_longest_first_and_case_sensitive(nlp: object) -> None:
    text = "Quillfeather Sandcastle Labs hired Mara Quent as chief executive."
    assert "Quillfeather Sandcastle Labs" not in orgs(nlp, text)
    learn_names(nlp, ["Quillfeather Sandcastle", "Quillfeather Sandcastle Labs", "hired Mara"])  # type: ignore[arg-type]
    assert orgs(nlp, text)[0] == "Quillfeather Sandcastle Labs"
    assert "hired Mara" in orgs(nlp, text)
    assert "quillfeather sandcastle labs" not in orgs(nlp, text.lower())
    # names of two characters or less would tag pronouns and initials: ignored, as by the ruler
    learn_names(nlp, ["It"])  # type: ignore[arg-type]
    assert "It" not in orgs(nlp, "It raised money.")


def test_with_gazetteer_replaces_the_previous_names(nlp: object) -> None:
    with_gazetteer(nlp, ["Quillfeather Sandcastle Labs"])  # type: ignore[arg-type]
    with_gazetteer(nlp, ["Brindlewick Ferrous"])  # type: ignore[arg-type]
    gaz = gazetteer(nlp)  # type: ignore[arg-type]
    assert gaz is not None and gaz.names == {"Brindlewick Ferrous"}
    with_gazetteer(nlp, [])  # type: ignore[arg-type]
    assert GAZETTEER not in nlp.pipe_names  # type: ignore[attr-defined]


def test_known_organizations_read_only_what_was_added(sqlite_engine: Engine) -> None:
    known = KnownOrganizations()
    with Session(sqlite_engine) as s:
        s.add(Organization(name="Tessel Robotics", normalized="tessel robotics"))
        s.commit()
        assert known.refresh(s) == (["Tessel Robotics"], False)
        assert known.refresh(s) == ([], False)
        s.add(Organization(name="Paylark", normalized="paylark"))
        s.commit()
        assert known.refresh(s) == (["Paylark"], False)
        assert known.index.find("paylark") is not None and known.names == ["Tessel Robotics", "Paylark"]
        s.delete(s.exec(select(Organization).where(Organization.name == "Tessel Robotics")).one())
        s.commit()  # nothing in radar deletes organizations, but another writer might: read again
        assert known.refresh(s) == (["Paylark"], True)
        assert known.index.find("tessel robotics") is None and known.names == ["Paylark"]


def test_extraction_keeps_its_detector_and_learns_new_organizations(engine: Engine) -> None:
    add_doc(engine, "https://wire.example/a",
            "Tessel Robotics has raised $20 million in a Series B round led by Northwind Ventures.")
    summary = extract(engine)
    assert summary.signals_new == 1
    with Session(engine) as s:  # what ranking must redo: the organization with the new signal
        tessel = s.exec(select(Organization).where(Organization.name == "Tessel Robotics")).one()
    assert summary.touched == {tessel.id}
    first = extract_module._loaded_by_engine[engine].detector
    assert "Tessel Robotics" not in first.known  # stored by this run: the next one learns it
    with Session(engine) as s:  # a name another writer stored (a contacts import, another process)
        s.add(Organization(name="Brindlewick Ferrous", normalized="brindlewick ferrous"))
        s.commit()
    add_doc(engine, "https://wire.example/b", "Brindlewick Ferrous opened a new office in Lisbon.", day=4)
    extract(engine)
    assert extract_module._loaded_by_engine[engine].detector is first  # not rebuilt
    assert {"Brindlewick Ferrous", "Tessel Robotics", "tessel robotics"} <= first.known
    gaz = gazetteer(first.nlp)
    assert gaz is not None and {"Tessel Robotics", "Brindlewick Ferrous"} <= gaz.names
