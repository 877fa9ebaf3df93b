"""Growth and shrinkage: expansions, product launches, hiring plans and layoffs."""
import re
from typing import Any, Optional

from spacy.tokens import Span, Token

from radar.nlp.candidates import Candidate
from radar.nlp.lexicon import (
    CUT_VERBS,
    EXPAND_VERBS,
    FACILITY_NOUNS,
    HIRE_VERBS,
    JOB_NOUNS,
    LAUNCH_VERBS,
    MARKET_NOUNS,
    NON_PRODUCT_NOUNS,
    OFFICE_NOUNS,
    SITE_CHOICE_VERBS,
)
from radar.nlp.rules import Sentence, make
from radar.nlp.syntax import governing_said, in_background_clause, objects, possessor, prep_objects, proper_span

_VERBAL = ("ROOT", "xcomp", "ccomp", "conj", "advcl", "relcl", "pcomp", "dep", "parataxis", "acl")
_PLACE = ("GPE", "LOC", "NORP")
_CUT_NOUNS = frozenset({"layoffs", "redundancies", "redundancy", "cuts", "job-cuts"})
_AVAILABLE = frozenset({"available", "approval", "delivering", "operating", "live", "serving"})
_LAUNCH_NOUNS = frozenset({"launch", "release", "debut", "introduction", "rollout", "availability", "new"})
_LIVE = frozenset({"live", "sale", "available"})
_JOBS = frozenset({"jobs", "positions"})  # NORP for "the Australian market"


def _places(s: Sentence, toks: list[Token]) -> list[str]:
    """Place names among the given tokens, 'Columbus, Ohio' kept whole; not parts of company names."""
    ids = {t.i for t in toks}
    spans: list[Span] = [e for e in s.doc.ents if e.label_ in _PLACE and e.start in ids
                         and not any(o.start <= e.start < o.end for o in s.orgs)
                         and not (e.end < len(s.doc) and s.doc[e.end].text in ("-", "-based")
                                  and e.end + 1 < len(s.doc))]
    out: list[str] = []
    i = 0
    while i < len(spans):
        e = spans[i]
        if i + 1 < len(spans) and spans[i + 1].start == e.end + 1 and s.doc[e.end].text == ",":
            out.append(s.doc[e.start: spans[i + 1].end].text)
            i += 2
            continue
        out.append(e.text)
        i += 1
    return out


def _capitalized_phrase(tok: Token) -> str:
    return tok.doc[tok.left_edge.i: tok.i + 1].text


def expansion(s: Sentence) -> list[Candidate]:
    if not (s.has_any(EXPAND_VERBS, _AVAILABLE, SITE_CHOICE_VERBS)):
        return []
    for tok in s.doc:
        if tok.lower_ in SITE_CHOICE_VERBS and tok.dep_ in _VERBAL and not in_background_clause(tok):
            site = {t.lower_ for p in prep_objects(tok, ("for", "as")) for t in p.subtree}
            places = _places(s, [t for o in objects(tok) for t in o.subtree])
            kind = "new_office" if site & OFFICE_NOUNS else "new_facility" if site & FACILITY_NOUNS else None
            if kind and places:
                return make(s, "expansion", s.subject_org(tok), kind, 0.75, tok, {"location": places[0]})
        w = tok.lower_
        if w not in EXPAND_VERBS or tok.dep_ not in _VERBAL or in_background_clause(tok):
            continue
        if w in ("break", "breaks", "broke", "breaking") and not any(c.lower_ == "ground" for c in tok.children):
            continue
        objs = objects(tok) + (prep_objects(tok, ("on", "for")) if w.startswith(("bro", "break")) else [])
        obj_words = {t.lower_ for o in objs for t in o.subtree}
        after = list(s.doc[tok.i:])
        if obj_words & OFFICE_NOUNS:
            kind = "new_office"
        elif obj_words & FACILITY_NOUNS and not obj_words & {"jobs", "positions"}:
            kind = "new_facility"
        elif (w.startswith(("enter", "expand", "launch", "move", "extend")) or obj_words & MARKET_NOUNS) and _places(
                s, [t for o in objs + prep_objects(tok, ("to", "into", "in")) for t in o.subtree
                    if t.dep_ not in ("compound", "nmod", "poss")
                    and (t.dep_ != "amod" or t.head.lower_ in ("market", "markets"))]):
            kind = "new_market"
        else:
            continue
        places = (_places(s, [t for o in objs for t in o.subtree if t.dep_ != "amod"]
                          + [t for p in prep_objects(tok, ("in", "to", "into", "near", "outside")) for t in p.subtree])
                  or _places(s, after) or _places(s, [t for o in objs for t in o.subtree]))
        if not places and kind != "new_market":  # "a cell factory in Mo i Rana": a town the NER took for a name
            places = [_capitalized_phrase(p) for p in prep_objects(tok, ("in", "near", "outside")) + [
                q for o in objs for q in prep_objects(o, ("in", "near", "outside"))] if p.text[:1].isupper()
                and not any(o.covers(p) and o.text == s.subject_org(tok) for o in s.orgs)][:1]
        if not places:
            continue
        return make(s, "expansion", s.subject_org(tok), kind, 0.8, tok, {"location": places[0]})
    m = re.search(r"\b(now available|approval to operate|now (delivering|operating|live|serving customers)|"
                  r"begin(s)? serving customers)\b.{0,30}?\bin\b", s.text, re.I)
    if m:
        start = s.doc[0].idx + m.end()
        toks = [t for t in s.doc if t.idx >= start]
        places = _places(s, toks)
        anchor = next((t for t in s.doc if t.idx >= s.doc[0].idx + m.start()), s.doc[0])
        if places:
            org = next((s.subject_org(t) for t in s.doc if t.dep_ == "ROOT"), None)
            return make(s, "expansion", org, "new_market", 0.7, anchor, {"location": places[0]})
    return []


def _product_name(o: Token) -> Optional[str]:
    if o.lower_ in NON_PRODUCT_NOUNS or any(c.lower_ in NON_PRODUCT_NOUNS for c in o.children if c.dep_ == "compound"):
        return None
    for c in o.children:
        if c.dep_ == "appos":
            ps = proper_span(c)
            if ps:
                return ps.text
    toks = [t for t in o.subtree if t.i <= o.i and t.dep_ not in ("det", "poss", "case", "punct", "nummod", "quantmod")]
    first = next((i for i, t in enumerate(toks) if t.text[:1].isupper() or any(ch.isdigit() for ch in t.text[:3])),
                 None)
    if first is None:
        return None
    name = " ".join(t.text for t in toks[first:]).replace(" - ", "-")
    return name.strip(" ,\"“”")


def product_launch(s: Sentence) -> list[Candidate]:
    if not (s.has_any(LAUNCH_VERBS, _LAUNCH_NOUNS, _LIVE)):
        return []
    m = re.match(r"^new from ([^:]+):\s*([A-Z][\w-]*(?: [A-Z][\w-]*)*)", s.text, re.I)
    if m:
        return make(s, "product_launch", m.group(1).strip(), "launch", 0.75, s.doc[0], {"product": m.group(2)})
    for tok in s.doc:  # "announced the launch of Inkwell"
        if tok.lower_ in ("launch", "release", "debut", "introduction", "rollout", "availability") and tok.dep_ in (
                "dobj", "nsubj", "nsubjpass"):
            for p in prep_objects(tok, ("of",)):
                product = _product_name(p)
                org = s.subject_org(tok.head) if tok.dep_ == "dobj" else (
                    s.org(possessor(tok)) if possessor(tok) is not None else None)
                if product and org and product != org:
                    return make(s, "product_launch", org, "launch", 0.8, tok, {"product": product})
    for tok in s.doc:
        w = tok.lower_
        if tok.dep_ not in _VERBAL or in_background_clause(tok):
            continue
        if w in LAUNCH_VERBS and w not in ("announce", "announced", "announces", "start", "started", "starts"):
            if w.startswith("roll") and not any(c.lower_ == "out" for c in tok.children):
                continue
            if w.startswith(("bring", "brought")) and "market" not in {t.lower_ for t in tok.subtree}:
                continue
            for o in objects(tok):
                product = _product_name(o)
                org = s.subject_org(tok) or (s.org(possessor(o)) if possessor(o) is not None else None)
                if product and org and product != org:
                    return make(s, "product_launch", org, "launch", 0.8, tok, {"product": product})
        on_sale = any(p.lower_ == "sale" for p in prep_objects(tok, ("on",)))
        if w in ("went", "goes", "go", "going") and (any(c.lower_ == "live" for c in tok.children) or on_sale):
            for subj in [c for c in tok.children if c.dep_ == "nsubj"]:
                ps = proper_span(subj)
                appos = [c for c in subj.children if c.dep_ == "appos"]
                owner = next((possessor(c) for c in appos if possessor(c) is not None), None)
                maker = next((s.org(p) for c in appos for p in prep_objects(c, ("from", "by", "of")) if s.org(p)), None)
                org = s.org(owner) if owner is not None else (maker or s.ctx)
                if ps and org:
                    return make(s, "product_launch", org, "launch", 0.75, tok, {"product": ps.text})
    if re.search(r"\bavailable (starting )?(today|now)\b", s.text, re.I):
        for tok in s.doc:
            if tok.dep_ == "nsubj" and tok.head.dep_ in ("ccomp", "ROOT") and (ps := proper_span(tok)):
                said = governing_said(tok.head) or (tok.head.head if tok.head.dep_ == "ccomp" else None)
                org = s.subject_org(said) if said is not None else None
                name = ps.text
                if org and name != org:
                    return make(s, "product_launch", org, "launch", 0.7, tok, {"product": name})
    return []


_FUNCTION_CUES = [
    ("engineering", r"engineer|developer|software|programmer|technical|r&d|quality"),
    ("data", r"data scien|data|machine learning|\bai\b|analyst"),
    ("sales", r"\bsales|representatives|\breps\b|account executive|salespeople|business development"),
    ("marketing", r"marketing"),
    ("customer_success", r"customer (support|service|success)|support (staff|agents|center|centre)|call cent"),
    ("design", r"designer|design\b"),
    ("operations", r"warehouse|driver|production|factory|manufactur|field service|plant|logistics|operator|technician|"
                   r"nurse|seasonal|assembly|store"),
]


def _functions(text: str) -> list[str]:
    low = text.lower()
    return [f for f, rx in _FUNCTION_CUES if re.search(rx, low)]


def _number(toks: list[Token]) -> Optional[int]:
    for t in toks:
        if t.dep_ in ("nummod", "pobj", "dobj", "quantmod", "compound") and t.like_num and t.ent_type_ in (
                "CARDINAL", "QUANTITY", ""):
            try:
                return int(float(t.text.replace(",", "")))
            except ValueError:
                continue
    return None


def _job_object(tok: Token) -> Optional[Token]:
    for o in objects(tok) + prep_objects(tok, ("by", "to", "of")):
        for t in o.subtree:
            if t.lower_ in JOB_NOUNS and t.ent_type_ != "PERSON":
                return t
    return None


def hiring_surge(s: Sentence) -> list[Candidate]:
    if not (s.has_any(HIRE_VERBS)):
        return []
    for tok in s.doc:
        w = tok.lower_
        if w not in HIRE_VERBS or tok.dep_ not in _VERBAL or in_background_clause(tok):
            continue
        if w.startswith(("take", "took")) and not any(c.lower_ == "on" for c in tok.children):
            continue
        job = _job_object(tok)
        if job is None or any(c.ent_type_ == "PERSON" for o in objects(tok) for c in o.subtree):
            continue
        if w.startswith(("double", "tripl", "quadrupl", "grow", "expand", "increas")) and job.lower_ not in (
                "team", "force", "headcount", "workforce", "staff"):
            continue
        rest = [t for t in s.doc if t.i >= tok.i]
        attrs: dict[str, Any] = {
            "number": (_number(list(job.subtree) + [c for c in job.head.subtree if c.i > tok.i][:6])
                       if job.lower_ not in ("team",) else None),
            "functions": _functions(" ".join(t.text for t in rest)),
            "locations": _places(s, rest) + _places(s, [t for o in objects(tok) for t in o.subtree if t.i < tok.i])}
        return make(s, "hiring_surge", s.subject_org(tok), "hiring_plan", 0.75, tok, attrs)
    return []




def _percent(s: Sentence) -> Optional[float]:
    for e in s.ents("PERCENT"):
        m = re.search(r"(\d+(?:\.\d+)?)", e.text)
        if m:
            v = float(m.group(1))
            return int(v) if v.is_integer() else v
    return None


def layoffs(s: Sentence) -> list[Candidate]:
    if not (s.has_any(CUT_VERBS, _CUT_NOUNS, _JOBS)):
        return []
    for tok in s.doc:
        w = tok.lower_
        if in_background_clause(tok):
            continue
        job: Optional[Token] = None
        if w in CUT_VERBS and tok.dep_ in _VERBAL:
            if w.startswith(("lay", "laid")) and not any(c.lower_ == "off" for c in tok.children):
                continue
            job = _job_object(tok) or (tok if w.startswith(("lay", "laid")) else None)
            if w.startswith(("clos", "offer", "drop", "lose", "lost")) and (
                    job is None or job.lower_ not in ("jobs", "redundancy", "redundancies", "positions")):
                continue
            if w in ("lost", "lose") and tok.dep_ in _VERBAL:
                org = next((s.org(p) for p in prep_objects(tok, ("at",)) if s.org(p)), None)
                if org and job is not None:
                    return make(s, "layoffs", org, "job_cuts", 0.75, tok,
                                {"number": _number(list(s.doc[: tok.i])), "percent": _percent(s)})
        elif w in _CUT_NOUNS and tok.dep_ in ("dobj", "nsubj", "pobj", "conj", "ROOT") and (
                w != "cuts" or any(c.lower_ in ("job", "jobs") for c in tok.children)):
            job = tok
        elif w in ("jobs", "positions") and any(c.lower_ == "at" and any(g.lower_ == "risk" for g in c.children)
                                                for c in tok.head.children):
            job = tok
        if job is None:
            continue
        verb = tok if tok.dep_ in _VERBAL else tok.head
        org = s.subject_org(verb)
        number = _number(list(job.subtree)) if job is not tok else None
        if number is None:
            number = _number([t for p in prep_objects(verb, ("by",)) for t in p.subtree])
        return make(s, "layoffs", org, "job_cuts", 0.8, tok, {"number": number, "percent": _percent(s)})
    return []
