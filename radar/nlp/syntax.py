"""Dependency helpers: which organization a grammatical role points to.

The subject of a signal is found through the parse (subject of the event verb, agent of a
passive, object of "invest in"), never as the first ORG of the sentence. The small English
model mislabels unknown company names (PERSON, GPE, nothing), so organization mentions are
NER ORG spans plus named spans with an organization suffix ("Harper Labs") and proper-noun
subjects of event verbs.
"""
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Doc, Span, Token

from radar.nlp.lexicon import COREF_NOUNS, NOT_ORG_WORDS, ORG_HEAD_NOUNS, ORG_SUFFIX_WORDS

_DOMAINLIKE = re.compile(r"^[a-z][\w-]*\.(ai|io|com|co|app|dev|net|org|tech)$", re.I)
EXCHANGE_RX = re.compile(
    r"\b(nasdaq(?-i:(?: (?:Global|Capital|Stock|Select|Market|Stockholm|Copenhagen|Helsinki|First North)){0,3})|"
    r"nyse(?: american| arca)?|new york stock exchange|"
    r"london stock exchange|euronext(?-i:(?: (?:Amsterdam|Paris|Brussels|Lisbon|Dublin|Oslo|Milan|Growth))?)|"
    r"(?:australian securities exchange|asx)|"
    r"singapore exchange|hong kong stock exchange|hkex|tokyo stock exchange|toronto stock exchange|tsx(?: venture)?|"
    r"national stock exchange of india|bombay stock exchange|bse|six swiss exchange|frankfurt stock exchange|"
    r"deutsche b[öo]rse|nasdaq stockholm|oslo b[øo]rs|shanghai stock exchange|shenzhen stock exchange|"
    r"star market|aim|main market|korea exchange|taiwan stock exchange|johannesburg stock exchange)\b",
    re.I,
)


_PERSON_CONTEXT = re.compile(
    r"\b(mr|ms|mrs|dr|said|says|told|chief|ceo|cfo|cto|coo|president|head|director|officer|founder|partner|"
    r"executive|chair\w*|vp|manager|she|he|her|his|analyst|professor)\b", re.I)


@dataclass(frozen=True)
class Org:
    """An organization mention: its text and token range in the sentence doc."""

    text: str
    start: int
    end: int

    def covers(self, tok: Token) -> bool:
        return self.start <= tok.i < self.end


def clean_org_text(text: str) -> str:
    t = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)
    t = re.sub(r"(['’]s|['’])$", "", t).strip(" ,;:-\"'“”")
    return t


def _capitalized(tok: Token) -> bool:
    return ((tok.text[:1].isupper() or tok.text in ("&",) or bool(_DOMAINLIKE.match(tok.text))) and not tok.is_punct
            or tok.text == "&")


def org_mentions(doc: Doc | Span, known: frozenset[str] = frozenset()) -> list[Org]:
    """Organization mentions: ORG entities, and other named spans that look like companies."""
    out: list[Org] = []
    for ent in doc.ents:
        words = ent.text.lower().split()
        if ent.label_ == "ORG" or ent.text in known or (
            ent.label_ in ("PERSON", "GPE", "NORP", "PRODUCT", "FAC", "WORK_OF_ART", "LOC")
            and words and re.sub(r"['’]s$", "", words[-1]).strip(".,") in ORG_SUFFIX_WORDS and len(words) > 1
        ):
            start = ent.start
            ats = [t.i for t in ent if t.lower_ == "at"]
            if ats:  # "Head of Design at Oriel Studios": the model ran a title into the name
                start = ats[-1] + 1
            # "Tinsel Labs and Quire Data" tagged as one entity: two companies when the left part
            # ends with a company word ("Procter and Gamble" stays whole)
            cut = next((t.i for t in ent if t.lower_ == "and" and t.i > start and t.i + 1 < ent.end
                        and ent.doc[t.i - 1].lower_.strip(".") in ORG_SUFFIX_WORDS), None)
            parts = [(start, cut), (cut + 1, ent.end)] if cut is not None else [(start, ent.end)]
            for a, b in parts:
                span = _trim(doc, a, b)
                if span:
                    out.append(span)
    for tok in doc:
        if _DOMAINLIKE.match(tok.text) and not any(o.covers(tok) for o in out):
            out.append(Org(tok.text, tok.i, tok.i + 1))
    return sorted(out, key=lambda o: o.start)


def _trim(doc: Doc | Span, start: int, end: int) -> Optional[Org]:
    d = doc.doc if isinstance(doc, Span) else doc
    while start < end and d[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and (d[end - 1].is_punct and d[end - 1].text not in (".",) or d[end - 1].text in ("'s", "’s")):
        end -= 1
    if end <= start:
        return None
    text = clean_org_text(d[start:end].text)
    if not text or text.lower() in NOT_ORG_WORDS or not any(c.isalpha() for c in text):
        return None
    return Org(text, start, end)


_NAME_PARTS = frozenset({"compound", "nmod", "amod", "cc", "punct", "nummod"})


def proper_span(tok: Token) -> Optional[Org]:
    """The capitalized name around a token (compound chain), when it is not a known non-name."""
    doc = tok.doc
    if not (_capitalized(tok) or _DOMAINLIKE.match(tok.text)) or tok.lower_ in NOT_ORG_WORDS:
        return None
    start = end = tok.i
    while start > 0:
        prev = doc[start - 1]
        if (prev.head.i in range(start, tok.i + 1) and prev.dep_ in _NAME_PARTS
                and (_capitalized(prev) or prev.text == "&") and prev.lower_ not in NOT_ORG_WORDS):
            start -= 1  # "Six Apart", "Harper Labs"
        elif prev.text == "-" and not prev.whitespace_ and start > 1 and not doc[start - 2].whitespace_ \
                and doc[start - 2].text.isalnum():
            start -= 2  # "7-Eleven", "T-Mobile": one word to a reader, three tokens to the model
        else:
            break
    while (end + 1 < len(doc) and doc[end + 1].dep_ in ("compound", "flat") and _capitalized(doc[end + 1])
           and doc[end + 1].head.i > end):
        end += 1
    if end + 1 < len(doc) and doc[end + 1].lower_.strip(".") in ("inc", "corp", "ltd", "llc", "plc", "co") :
        end += 1
    return _trim(doc, start, end + 1)


def org_of(tok: Token, orgs: list[Org], ctx: Optional[str] = None, *, allow_proper: bool = True) -> Optional[str]:
    """The organization a noun token stands for: a mention it belongs to, an appositive name,
    a single mention inside its phrase ("Tokyo-based Kumo Logistics"), or the document's
    current organization for "it" / "the company"."""
    for o in orgs:
        if o.covers(tok):
            return o.text
    low = tok.lower_
    if low in ("it", "its", "we", "our", "itself") or (
            low in COREF_NOUNS and any(c.lower_ in ("the", "its", "our") for c in tok.children)):
        return ctx
    for child in tok.children:
        if child.dep_ in ("appos", "compound", "poss") or child.dep_ == "npadvmod":
            for o in orgs:
                if o.covers(child):
                    if child.dep_ == "compound" and o.end == tok.i and tok.is_title and tok.lower_ not in NOT_ORG_WORDS:
                        return clean_org_text(tok.doc[o.start: tok.i + 1].text)  # "Solvane" + "Grid"
                    return o.text
    if tok.is_lower and tok.lower_.endswith("s") and tok.lower_ not in ORG_HEAD_NOUNS:
        return None  # "Tech employers", "European banks": a class of companies, not one
    inside = [o for o in orgs if tok.left_edge.i <= o.start and o.end <= tok.i + 1]
    if inside:
        return inside[-1].text
    if allow_proper:
        ps = proper_span(tok)
        if ps and (not _is_person_like(tok) or _has_org_appos(tok)):  # "Nimbleway, the online grocer,"
            return ps.text
        if low in ORG_HEAD_NOUNS:
            for child in tok.children:
                if child.dep_ == "appos":
                    ps = proper_span(child)
                    if ps:
                        return ps.text
    if _DOMAINLIKE.match(tok.text) or (tok.is_lower and tok.dep_ in ("nsubj", "nsubjpass") and _has_org_appos(tok)):
        return tok.text
    return None


def _has_org_appos(tok: Token) -> bool:
    return any(c.dep_ == "appos" and (c.lower_ in ORG_HEAD_NOUNS or any(g.lower_ in ORG_HEAD_NOUNS for g in c.subtree))
               for c in tok.children)


def _is_person_like(tok: Token) -> bool:
    ent = tok.ent_type_
    if ent == "PERSON":
        # The small model tags many unknown company names PERSON ("Nimbus Ortho"). A name
        # with an organization word, or with no title, honorific or "said" beside it, is
        # taken for a company when it fills an event's role.
        span = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if span is None:
            return True
        if span[-1].lower_.strip(".") in ORG_SUFFIX_WORDS:
            return False
        doc = tok.doc
        near = doc[max(0, span.start - 3): min(len(doc), span.end + 3)].text
        return bool(_PERSON_CONTEXT.search(near))
    return ent in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "GPE", "NORP", "LOC")


def subjects(verb: Token) -> list[Token]:
    """The subject tokens of a verb, climbing through xcomp/conj/relcl chains when it has none."""
    seen = 0
    v: Optional[Token] = verb
    while v is not None and seen < 6:
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subj:
            out = list(subj)
            for s in subj:
                out.extend(c for c in s.children if c.dep_ == "conj")
            return out
        if v.dep_ in ("relcl", "acl") and v.head.lower_ in _PLAN_NOUNS and v.head.head.i != v.head.i:
            v = v.head.head  # "struck a deal to acquire X": the dealmaker is the subject
            while v.dep_ == "prep" and v.head.i != v.i:
                v = v.head  # "entered into an agreement to acquire X"
            seen += 1
            continue
        if v.dep_ == "relcl":
            return [v.head]
        if v.dep_ in ("xcomp", "conj", "advcl", "acl", "pcomp", "ccomp", "dep") and v.head is not v:
            if v.dep_ == "acl" and v.head.lower_ in _PLAN_NOUNS and v.head.head is not v.head:
                v = v.head.head  # "announced plans to build ...": the planner is the subject
                seen += 1
                continue
            if v.dep_ == "acl" and v.head.dep_ in ("nsubj", "nsubjpass"):
                return [v.head]
            v = v.head
            seen += 1
            continue
        break
    if verb.dep_ == "ROOT":
        # Headline grammar misparsed as one noun phrase ("Tessaract AI teams up with ...",
        # "Kestrel Payments nabs ..."): the name in front of the verb is its subject.
        lead = [c for c in verb.lefts if c.dep_ in ("compound", "nmod", "npadvmod") and c.text[:1].isupper()]
        if lead:
            return [lead[-1]]
    return []


_PLAN_NOUNS = frozenset({"deal", "agreement", "plan", "plans", "offer", "bid", "move", "decision", "transaction",
                         "pact"})


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def agent_objects(verb: Token) -> list[Token]:
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return _with_conj(out)


def objects(verb: Token) -> list[Token]:
    return _with_conj([c for c in verb.children if c.dep_ in ("dobj", "dative", "attr", "oprd")])


def prep_objects(tok: Token, preps: Iterable[str]) -> list[Token]:
    ps = set(preps)
    out: list[Token] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ps:
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return _with_conj(out)


def _with_conj(toks: list[Token]) -> list[Token]:
    out = list(toks)
    for t in toks:
        for c in t.subtree:
            if c.dep_ == "conj" and c.head in out:
                out.append(c)
    return out


def possessor(tok: Token) -> Optional[Token]:
    return next((c for c in tok.children if c.dep_ == "poss"), None)


def in_background_clause(tok: Token) -> bool:
    """A relative clause or an "after its IPO"-style phrase describes the past, not the news."""
    t: Optional[Token] = tok
    for _ in range(8):
        if t is None or t.dep_ == "ROOT":
            return False
        if t.dep_ == "relcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) \
                and t.head.lower_ not in _PLAN_NOUNS and not _pending(t):
            return True  # "X, which raised $5M last year, ..." (but not "X to buy Y", "a deal under which ...")
        if t.dep_ == "pobj" and t.head.lower_ in ("after", "since", "before", "despite"):
            return True
        t = t.head
    return False


_PAST_DATE = re.compile(r"^(last|ago|earlier|previously|\d{4}|\d{4}s)$", re.I)
_PENDING_VERBS = frozenset({"agreed", "agrees", "plans", "intends", "announced", "announces", "signed"})


def _pending(verb: Token) -> bool:
    """A relative clause that reports the news itself, not the past: "X, which agreed to buy Y,
    ...", "X, which is buying Y", "X, which will open ..."."""
    if any(t.ent_type_ == "DATE" and _PAST_DATE.search(t.text) for t in verb.subtree):
        return False  # "which agreed to buy Y last year": background
    if verb.lower_ in _PENDING_VERBS and any(c.dep_ == "xcomp" for c in verb.children):
        return True
    return any(c.dep_ == "aux" and c.lower_ in ("will", "is", "are", "'s") for c in verb.children) \
        and verb.lower_.endswith("ing") or any(c.dep_ == "aux" and c.lower_ == "will" for c in verb.children)


def governing_said(tok: Token) -> Optional[Token]:
    """The reporting verb ("said", "announced") whose clause contains tok, if any."""
    t = tok
    for _ in range(6):
        if t.dep_ in ("ccomp", "xcomp", "dobj", "conj", "advcl") and t.head.lower_ in (
                "said", "says", "announced", "announces", "confirmed", "confirms", "reported", "disclosed", "told",
                "revealed", "stated", "expects", "plans", "intends", "agreed"):
            return t.head
        if t.head is t:
            return None
        t = t.head
    return None


# A clause has a subject, an auxiliary or an object somewhere; a table heading or a caption
# ("Thousands of metric tons", "Update on Growth Projects") has none, and no closing mark.
_CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "aux", "auxpass", "dobj", "attr",
                          "agent"})
_CLOSING = tuple('.!?:;)"\'”’')


def is_heading(doc: Doc | Span) -> bool:
    """A heading or table label, not a sentence: it reports no event. For body text only:
    headlines are often verbless or misparsed ("Northern Rock sold to Virgin Money")."""
    return not doc.text.rstrip().endswith(_CLOSING) and not any(t.dep_ in _CLAUSE_DEPS for t in doc)
