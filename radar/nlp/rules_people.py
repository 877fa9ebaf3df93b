"""People: leadership changes (appointed, promoted, departed) and executive searches."""
import re
from typing import Optional

from spacy.tokens import Span, Token

from radar.nlp.candidates import Candidate
from radar.nlp.lexicon import (
    APPOINT_NOUNS,
    APPOINT_VERBS,
    DEPART_NOUNS,
    DEPART_VERBS,
    NOT_ORG_WORDS,
    ORG_SUFFIX_WORDS,
    PROMOTE_NOUNS,
    PROMOTE_VERBS,
    RETAIN_VERBS,
)
from radar.nlp.rules import Sentence, make
from radar.nlp.syntax import (
    governing_said,
    in_background_clause,
    is_passive,
    objects,
    possessor,
    prep_objects,
    proper_span,
    subjects,
)
from radar.nlp.titles import clean_title, find_titles
from radar.titles import normalize_title

_GROUP_SUBJECTS = frozenset({"board", "directors", "committee", "company", "firm", "group", "it", "they",
                             "shareholders"})
_PREVIOUS = re.compile(r"\b(from|formerly|previously|prior|before|ex-|former|where|led|had|was|spent|left|"
                       r"of the analytics team at)\W*(\w+\W+){0,6}$", re.I)
_DEPART_PHRASE = re.compile(r"\b(step(s|ped|ping)? down|on (her|his|their) way out|will (leave|depart|retire)|"
                            r"has left|is leaving)\b", re.I)
_STEP = frozenset({"step", "steps", "stepped", "stepping"})
# A firm hired to find an executive: the sentence is a search, not an appointment.
_SEARCH_CUE = re.compile(r"\b(search(es|ing)?|head-?hunters?|recruiters?|recruitment firm)\b", re.I)
_SEARCH_WORDS = frozenset({"search", "searching", "searches", "seeking", "seeks", "seek", "hunt", "interviewing",
                           "looking"})


_TITLE_WORDS = frozenset({"chief", "vice", "vp", "svp", "evp", "head", "president", "director", "general", "ceo",
                          "cfo", "cto", "coo", "cmo", "cro", "cpo", "senior", "executive", "managing"})


def _people(s: Sentence) -> list[Span]:
    """PERSON entities, cut before a title the model ran into ("Rachel Kim Chief Marketing")."""
    out: list[Span] = []
    merged: list[Span] = []
    for e in s.ents("PERSON"):  # "Dina Powell" + "McCormick" are one name
        if merged and merged[-1].end == e.start:
            merged[-1] = s.doc[merged[-1].start: e.end]
        else:
            merged.append(e)
    for e in merged:
        last = re.sub(r"['’]s$", "", e[-1].lower_).strip(".")
        if last in ORG_SUFFIX_WORDS or e.root.dep_ == "poss" or len(e.text) <= 3:
            continue
        cut = next((t.i for t in e if t.i > e.start and t.lower_ in _TITLE_WORDS), e.end)
        if cut == e.end < len(s.doc) and s.doc[cut].is_title and s.doc[cut].lower_ not in _TITLE_WORDS \
                and s.doc[cut].ent_type_ in ("", "PERSON") and s.doc[cut].is_alpha:
            cut += 1  # "Dina Powell McCormick": the model stopped a word short
        out.append(s.doc[e.start: cut])
    return out


def _person_near(s: Sentence, trigger: Token, people: list[Span]) -> Optional[Span]:
    """The person the change word is about: its object, subject or "of" phrase, or a person
    in apposition to them ("its COO, Henrik Lund, will leave")."""
    linked = {t.i for t in [*objects(trigger), *subjects(trigger), *prep_objects(trigger, ("of", "to", "as")),
                            *[c for c in trigger.children if c.dep_ in ("appos", "npadvmod")]]}
    for p in people:
        if any(t.i in linked or t.head.i in linked or (t.head.head.i in linked and t.head.dep_ in ("appos", "compound"))
               for t in p):
            return p
    if any(t.lower_ in ("he", "she") for t in subjects(trigger)):
        before = [p for p in people if p.end <= trigger.i]
        return before[-1] if before else None
    for t in (x for x in linked if s.doc[x].ent_type_ != "PERSON"):
        name = _name_like(s, s.doc[t])
        if name is not None:
            return name
    return None


def _name_like(s: Sentence, tok: Token) -> Optional[Span]:
    """A two- or three-word capitalized name the model mislabelled or missed ("Grace Obi" as
    ORG; "Priya Raman Chief Operating Officer" as one noun phrase)."""
    chain = sorted([c for c in tok.lefts if c.dep_ in ("compound", "nmod") and c.is_title and c.is_alpha] + [tok],
                   key=lambda t: t.i)
    words: list[Token] = []
    for t in chain:
        if t.lower_ in _TITLE_WORDS:
            break
        words.append(t)
    if not 2 <= len(words) <= 3 or not all(t.is_alpha and t.is_title for t in words):
        return None
    if words[-1].i - words[0].i != len(words) - 1:
        return None
    if any(t.lower_ in ORG_SUFFIX_WORDS or t.lower_ in NOT_ORG_WORDS for t in words):
        return None
    return s.doc[words[0].i: words[-1].i + 1]


def _title_for(s: Sentence, person: Span, trigger: Token) -> Optional[str]:
    matches = find_titles(s.text)
    if not matches:
        return None
    base = s.doc[0].idx
    p_at = person.start_char - base
    t_at = trigger.idx - base

    def distance(m: "re.Match[str]") -> int:
        after_as = s.text[max(0, m.start() - 4): m.start()].lower().strip() in ("as", "to", "as a", "as its")
        return min(abs(m.start() - p_at), abs(m.end() - p_at), abs(m.start() - t_at)) - (30 if after_as else 0)

    return clean_title(min(matches, key=distance).group(0))


def _previous_employer(s: Sentence, name: str, trigger: Optional[Token] = None) -> bool:
    for o in s.orgs:
        if o.text == name:
            before = s.doc[max(0, o.start - 8): o.start]
            m = _PREVIOUS.search(before.text + " ")
            if m is None:
                return False
            # "Jane Doe was named CEO of Acme": a cue before the change word is its auxiliary,
            # not a past post ("who was CEO of Acme, was named ..." has the change word after).
            cue = before.char_span(m.start(), m.start() + len(m.group(1)), alignment_mode="expand")
            return trigger is None or cue is None or not (cue.start < trigger.i < o.start)
    return False


def _titled_by(s: Sentence, person: Span) -> Optional[str]:
    """"Euro Disney chief executive Andre Lacroix", "Acme's CFO, Jane Doe": the organization
    whose title stands right before the person is theirs, whoever announced the change."""
    for o in s.orgs:
        if o.end <= person.start <= o.end + 6:
            gap = re.sub(r"^['’]s\b", "", s.doc[o.end: person.start].text).strip(" ,")
            match = find_titles(gap)
            if gap and match and match[0].start() == 0 and len(match[0].group(0).strip()) >= len(gap) - 1:
                return o.text
    return None


def _employer(s: Sentence, trigger: Token, person: Span) -> Optional[str]:
    cands: list[Optional[str]] = [_titled_by(s, person)]
    if trigger.lower_ in {"join", "joins", "joined", "joining"}:
        cands += [s.org(o) for o in objects(trigger)]
    if not any(t.ent_type_ == "PERSON" for t in subjects(trigger)):
        cands += [s.subject_org(trigger)]
    for t in [trigger, *person, person.root.head]:
        cands += [s.org(o) for o in prep_objects(t, ("at", "of", "with"))]
    for t in s.doc:
        if t.dep_ == "poss" and s.org(t) and t.head.i != person.root.i:
            cands.append(s.org(t))
    said = governing_said(trigger)
    if said is not None:
        cands.append(s.subject_org(said))
    cands += [o.text for o in s.orgs]
    title_area = " ".join(m.group(0) for m in find_titles(s.text))
    for c in cands:
        # "Vice President of Engineering": a department inside the title is not the employer
        if c and c not in person.text and c not in title_area and not _previous_employer(s, c, trigger):
            return c
    return s.ctx


def _direction(trigger: Token, text: str) -> Optional[str]:
    w = trigger.lower_
    nxt = trigger.doc[trigger.i + 1: trigger.i + 3].text.lower()
    if w == "named" and nxt.startswith("executive officer"):
        return None  # "named executive officers": the SEC's term for the top earners
    if w in PROMOTE_VERBS or w in PROMOTE_NOUNS:
        return "promoted"
    if w in DEPART_VERBS or w in DEPART_NOUNS or (
            w in ("step", "steps", "stepped", "stepping") and any(c.lower_ == "down" for c in trigger.children)):
        return "departed"
    if w in APPOINT_VERBS or w in APPOINT_NOUNS:
        return "appointed"
    return None


def leadership(s: Sentence) -> list[Candidate]:
    if not (s.has_any(APPOINT_VERBS, PROMOTE_VERBS, DEPART_VERBS, DEPART_NOUNS, APPOINT_NOUNS, PROMOTE_NOUNS, _STEP)):
        return []
    people = _people(s)
    if not find_titles(s.text) or _SEARCH_CUE.search(s.text):
        return []
    out: list[Candidate] = []
    seen: set[str] = set()
    for tok in s.doc:
        direction = _direction(tok, s.text)
        if direction is None or tok.dep_ in ("amod", "compound") or in_background_clause(tok):
            continue
        if direction == "appointed" and tok.lower_ in ("announce", "announced", "announces", "add", "added", "adds",
                                                       "select", "selected"):
            if not any(t.lower_ in APPOINT_NOUNS for t in tok.subtree) and not any(
                    c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in tok.children):
                continue
        person = _person_near(s, tok, people)
        if person is None or person.text in seen:
            continue
        if (direction == "appointed" and is_passive(tok) is False and tok.lower_ in ("named", "names", "name")
                and person.root.dep_ == "nsubj"):
            continue
        title = _title_for(s, person, tok)
        if not title:
            continue
        org = _employer(s, tok, person)
        function, seniority = normalize_title(title)
        seen.add(person.text)
        out += make(s, "leadership_change", org, direction, 0.85, tok,
                    {"person": re.sub(r"^(dr|mr|mrs|ms|prof)\.?\s+", "", person.text, flags=re.I), "title": title,
                     "function": function, "seniority": seniority})
    return out


def _search_firm(s: Sentence, company: Optional[str]) -> Optional[str]:
    for tok in s.doc:
        if tok.lower_ in RETAIN_VERBS:
            for o in objects(tok) + prep_objects(tok, ("with",)):
                for t in [o, *[c for c in o.children if c.dep_ in ("appos", "compound")]]:
                    name = s.org(t)
                    if name and name != company:
                        return name
                    ps = proper_span(t)
                    if ps and ps.text != company:
                        return ps.text
        if tok.lower_ in ("from", "by") and tok.head.lower_ in ("assistance", "help", "led", "support", "run",
                                                                "conducted"):
            for o in tok.children:
                for t in [o, *[c for c in o.children if c.dep_ in ("appos", "compound")]]:
                    firm = s.org(t) or (ps.text if (ps := proper_span(t)) else None)
                    if firm and firm != company:
                        return firm
    for org in s.orgs:
        if org.text != company and re.search(r"(search|executive|partners|associates|recruit)", org.text, re.I):
            return org.text
    return None


def _search_company(s: Sentence, trigger: Token) -> Optional[str]:
    t: Optional[Token] = trigger
    for _ in range(5):
        if t is None:
            break
        for subj in subjects(t):
            if subj.lower_ in _GROUP_SUBJECTS or subj.lower_ in ("directors",):
                owner = possessor(subj)
                of = [s.org(p) for p in prep_objects(subj, ("of", "at")) if s.org(p)]
                found = s.org(owner) if owner is not None else (of[0] if of else s.ctx)
                if found:
                    return found
                continue  # "X said it has engaged ...": X, further up
            name = s.org(subj)
            if name:
                return name
        t = t.head if t.head is not t else None
    return s.ctx


_SEARCH_RX = re.compile(
    r"\b(search(es|ing)?|seek(s|ing)?|looking for|hunt|candidates|in the market for|recruit(er|ing) (a|an|its)|"
    r"head-?hunters?|(to|will) (recruit|find|identify) (a |an |its )?(new|next|permanent|successor)|"
    r"(find|identify|recruit) (a |an )?(successor|replacement))\b", re.I)
_SEARCH_TRIGGERS = frozenset({"candidates", "market", "recruiter", "recruiting", "replacement", "headhunter",
                              "head-hunter", "recruit", "find", "identify", "successor"})


def search_mandate(s: Sentence) -> list[Candidate]:
    if not _SEARCH_RX.search(s.text):
        return []
    trigger = next((t for t in s.doc if (t.lower_ in _SEARCH_WORDS or t.lower_ in _SEARCH_TRIGGERS)
                    and not any(o.covers(t) for o in s.orgs)), None)  # not "Ashdown Search", the firm
    if trigger is None:
        return []
    titles = [m for m in find_titles(s.text) if m.start() >= trigger.idx - s.doc[0].idx - 2] or find_titles(s.text)
    if not titles:
        return []
    role = clean_title(titles[0].group(0))
    company = _search_company(s, trigger)
    firm = _search_firm(s, company)
    if company and firm is None and _search_firm(s, None) == company:
        # "X taps headhunter Y to recruit ...": the parse ran Y into the search; X is the client
        root = next((t for t in s.doc if t.dep_ == "ROOT"), None)
        company = next((n for n in [s.subject_org(root) if root is not None else None, *(o.text for o in s.orgs)]
                        if n and n != firm), s.ctx)
        firm = _search_firm(s, company) if company else firm
    function, seniority = normalize_title(role)
    return make(s, "search_mandate", company, "executive_search", 0.8, trigger,
                {"role": role, "search_firm": firm, "function": function, "seniority": seniority})
