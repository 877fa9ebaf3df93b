"""Deals between organizations: acquisitions (both sides), IPOs and partnerships."""
import re
from typing import Optional

from spacy.tokens import Token

from radar.nlp.candidates import Candidate
from radar.nlp.lexicon import ACQUIRE_NOUNS, ACQUIRE_PARTICLE, ACQUIRE_VERBS, CUSTOMER_VERBS, PARTNER_NOUNS, forms
from radar.nlp.rules import Sentence, make
from radar.nlp.syntax import (
    EXCHANGE_RX,
    agent_objects,
    governing_said,
    in_background_clause,
    is_passive,
    objects,
    possessor,
    prep_objects,
    subjects,
)

_VERBAL = ("ROOT", "xcomp", "ccomp", "conj", "advcl", "relcl", "pcomp", "acl", "dep", "parataxis")


def _first_org(s: Sentence, toks: list[Token], exclude: Optional[str] = None) -> Optional[str]:
    for t in toks:
        owner = possessor(t)
        for cand in ([t] if owner is None else [t, owner]):
            name = s.org(cand)
            if name and name != exclude:
                return name
    return None


_SELL = forms("sell")
_PAY = forms("pay")


def _orgs_of(s: Sentence, toks: list[Token], exclude: Optional[str] = None) -> list[str]:
    """Every organization among the tokens (conjuncts included), in order: "acquired X and Y"."""
    out: list[str] = []
    for t in toks:
        if out and t.dep_ != "conj":
            continue  # a second object is not a second target ("acquire X for $95 M")
        owner = possessor(t)
        for cand in ([t] if owner is None else [t, owner]):
            name = s.org(cand)
            if name and name != exclude and name not in out:
                out.append(name)
                break
    return out


_HOLDING_NOUNS = ("stake", "interest", "control", "shares", "share", "equity", "assets")
_WHOLE = ("majority", "controlling", "all", "remaining", "outstanding", "entire", "full")


def _right_object(s: Sentence, tok: Token, exclude: Optional[str]) -> list[str]:
    """Headline grammar the parser breaks ("nabs fraud-detection startup Sentry Ledger"):
    the first organization after the verb inside its phrase, outside prepositions and clauses."""
    for t in s.doc[tok.i + 1:]:
        if t.dep_ in ("compound", "punct", "det", "amod") or t.ent_type_ in ("MONEY", "DATE", "CARDINAL", "PERCENT"):
            continue
        name = s.org(t)
        if not name or name == exclude:
            continue
        path, ok = t, True
        while path.i != tok.i and path.head.i != path.i:
            if (path.dep_ in ("prep", "agent", "relcl", "advcl", "acl", "punct", "pobj")
                    or path.lower_ in ("for", "from", "with")):
                ok = False
                break
            path = path.head
        if ok and path.i == tok.i:
            return [name]
    return []


def _acquisition_roles(s: Sentence, tok: Token) -> tuple[Optional[str], list[str]]:
    w = tok.lower_
    if w in ACQUIRE_NOUNS and tok.dep_ not in _VERBAL:
        owner = possessor(tok)
        agent = _first_org(s, prep_objects(tok, ("by",)))  # "the acquisition of X by Y"
        if owner is not None and owner.lower_ in ("its", "their") and tok.head.i != tok.i:
            owner = None  # "X completed its acquisition of Y": X
        buyer = agent or (s.org(owner) if owner is not None else (
            s.subject_org(tok.head) if tok.head.i != tok.i else None))
        return buyer, _orgs_of(s, prep_objects(tok, ("of",)), exclude=buyer)
    if w in _SELL:  # "Y agreed to sell itself to X", "Y was sold to X", "Z sold Y to X"
        buyer = _first_org(s, prep_objects(tok, ("to",)))
        if not buyer:
            return None, []
        objs = objects(tok)
        if is_passive(tok) or any(o.lower_ in ("itself", "themselves") for o in objs):
            target = s.subject_org(tok)
        else:
            target = _first_org(s, objs, exclude=buyer)
        return buyer, [target] if target else []
    if w in _PAY:  # "X will pay $2 billion for Y"
        if not any(t.ent_type_ == "MONEY" for o in objects(tok) for t in o.subtree):
            return None, []
        return s.subject_org(tok), _orgs_of(s, prep_objects(tok, ("for",)))
    base = next((b for b in ACQUIRE_PARTICLE if w in forms(b)), None)
    if base and not any(c.lower_ == ACQUIRE_PARTICLE[base] for c in tok.children):
        return None, []
    if is_passive(tok):
        buyer = _first_org(s, agent_objects(tok))
        target = s.subject_org(tok)
        return buyer, [target] if target else []
    buyer = s.subject_org(tok)
    objs = objects(tok)
    for o in objs:  # "bought a majority stake in X", "acquire all outstanding shares of X"
        if o.lower_ in _HOLDING_NOUNS:
            if any(c.lower_ in _WHOLE for c in o.subtree):
                return buyer, _orgs_of(s, prep_objects(o, ("in", "of")), exclude=buyer)
            return buyer, []
    targets = _orgs_of(s, objs + prep_objects(tok, ("over",)), exclude=buyer)
    if not targets and not objs or (not targets and all(o.ent_type_ in ("", "ORG", "PERSON") for o in objs)):
        targets = _right_object(s, tok, buyer) if buyer else []
    return buyer, targets


def acquisition(s: Sentence) -> list[Candidate]:
    if not (s.has_any(ACQUIRE_VERBS, ACQUIRE_NOUNS, _SELL, _PAY)):
        return []
    out: list[Candidate] = []
    for tok in s.doc:
        if tok.lower_ not in ACQUIRE_VERBS and tok.lower_ not in ACQUIRE_NOUNS and tok.lower_ not in _SELL | _PAY:
            continue
        nominal = tok.lower_ in ACQUIRE_NOUNS and tok.dep_ not in _VERBAL
        if tok.dep_ == "aux" and tok.lower_ in ACQUIRE_VERBS and not tok.lower_.startswith(("tak", "took", "pick")):
            # headline misparse: "X nabs lab-software startup Y" read with "nabs" as an auxiliary
            buyer = s.subject_org(tok)
            targets = [t for t in _right_object(s, tok.head, buyer) if buyer]
            if buyer and targets and buyer != targets[0]:
                out += make(s, "acquisition", buyer, "acquirer", 0.8, tok, {"target": targets[0]})
                out += make(s, "acquisition", targets[0], "target", 0.8, tok, {"acquirer": buyer})
                break
            continue
        if not nominal and tok.dep_ not in _VERBAL or in_background_clause(tok):
            continue
        buyer, targets = _acquisition_roles(s, tok)
        targets = [t for t in targets if t != buyer]
        if not targets:
            continue
        buyer = buyer or None
        if buyer:
            out += make(s, "acquisition", buyer, "acquirer", 0.85, tok, {"target": targets[0]})
        for target in targets:
            out += make(s, "acquisition", target, "target", 0.85 if buyer else 0.6, tok, {"acquirer": buyer})
        if out:
            break
    return out


_IPO_CUE = re.compile(r"\b(ipo|initial public offering|go(es|ing)? public|went public|listing|list(ed|s)? on|debut|"
                      r"began trading|start(s|ed)? trading|float|"
                      r"first (day|session|trading day)|priced its (ipo|offering|shares))\b", re.I)
_FILING = re.compile(r"\b(fil(ed|es|ing)|submit|lodg|prospectus|registration statement|paperwork|intention to float|"
                     r"plans to (list|go public)|intends to (list|go public)|confidentially|s-1|f-1)", re.I)
_IPO_WORDS = frozenset({"ipo", "offering", "public", "listing", "list", "listed", "debut", "trading", "float",
                        "prospectus", "statement", "s-1", "f-1", "opened", "rose", "jumped", "closed", "priced",
                        "prices", "shares", "stock", "paperwork", "files", "filed"})


def _ipo_org(s: Sentence, tok: Token) -> Optional[str]:
    t: Optional[Token] = tok
    for _ in range(5):
        if t is None:
            break
        for subj in subjects(t):
            if subj.lower_ in ("shares", "stock", "share"):
                name = (_first_org(s, prep_objects(subj, ("of", "in")))
                        or (s.org(possessor(subj)) if possessor(subj) is not None else None)
                        or next((s.org(c) for c in subj.children if c.dep_ == "compound" and s.org(c)), None))
                if name:
                    return name
                continue
            name = s.org(subj)
            if name and not EXCHANGE_RX.fullmatch(name):
                return name
        owner = possessor(t)
        if owner is not None and s.org(owner):
            return s.org(owner)
        t = t.head if t.head is not t else None
    return None


def ipo(s: Sentence) -> list[Candidate]:
    if not _IPO_CUE.search(s.text):
        return []
    base = s.doc[0].idx
    trigger = None
    for m in _IPO_CUE.finditer(s.text):
        tok = next((t for t in s.doc if t.idx >= base + m.start()), None)
        while (tok is not None and tok.dep_ in ("compound", "amod", "nummod") and tok.head is not tok
               and tok.head.lower_ not in ("price",)):
            tok = tok.head
        if tok is not None and tok.dep_ not in ("compound", "amod") and not in_background_clause(tok):
            trigger = tok
            break
    if trigger is None:
        return []
    org = _ipo_org(s, trigger)
    if org is None:
        return []
    exchange = EXCHANGE_RX.search(s.text)
    subtype = "filing" if _FILING.search(s.text) else "listing"
    return make(s, "ipo", org, subtype, 0.8, trigger, {"exchange": exchange.group(0) if exchange else None})


_CONTRACT_VERBS = forms("award", "win", "land", "secure", "bag", "receive", "obtain", "sign")
_CONTRACT_NOUNS = frozenset({"contract", "contracts", "tender", "order", "orders", "deal", "agreement", "pact"})
_MERGER_WORDS = forms("merge", "acquire", "buy", "purchase") | {"merger", "acquisition", "takeover", "buyout"}
_TEAM_VERBS = forms("partner", "team", "collaborate", "ally")
_DEAL_VERBS = forms("sign", "enter", "agree", "ink", "strike", "forge", "form", "announce", "extend", "renew", "expand",
                    "unveil", "reach")


def _with_partner(s: Sentence, tok: Token, exclude: Optional[str]) -> Optional[str]:
    """The organization in a "with ..." (or "by"/"from") phrase of the verb or its deal noun."""
    heads = [tok] + [t for t in tok.subtree if t.dep_ not in ("relcl", "advcl", "ccomp")]
    for h in heads:
        for prep in (c for c in h.children if c.dep_ in ("prep", "agent") and c.lower_ in ("with", "by", "from")):
            name = _first_org(s, [t for t in prep.subtree
                                  if t is not prep and t.dep_ in ("pobj", "nsubj", "compound", "conj", "appos")],
                              exclude=exclude)
            if name:
                return name
    return None


_TITLE_WORDS = frozenset({"ceo", "cfo", "cto", "coo", "cmo", "cro", "cpo", "chief", "president", "chair", "chairman",
                          "director", "officer", "head", "counsel", "vp", "svp", "evp"})
_PERSON_NOUNS = frozenset({"executive", "veteran", "banker", "founder", "co-founder", "insider", "lawyer"})
_SEARCH_FIRM = re.compile(r"\b(head-?hunters?|search firm|executive search|recruit(ers?|ment firm))\b", re.I)


def _public_body(s: Sentence, tok: Token) -> Optional[str]:
    """A client that is a place's government ("by the city of Phoenix"): the place's name."""
    for h in [tok, *objects(tok)]:
        for prep in (c for c in h.children if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from")):
            for e in s.doc.ents:
                if e.label_ in ("GPE", "ORG") and prep.is_ancestor(e.root):
                    return e.text
    return None


def _customer_win(s: Sentence, tok: Token) -> list[Candidate]:
    """"X selected Y to power ..." / "X will use Y's platform": the win is the vendor's (Y)."""
    if is_passive(tok):  # "Y has been selected by X"
        vendor, client = s.subject_org(tok), _first_org(s, agent_objects(tok))
        if vendor and client and vendor != client:
            return make(s, "partnership", vendor, "customer_win", 0.75, tok, {"partner": client})
        return []
    objs = objects(tok)
    if not objs or any(c.dep_ == "prt" and c.lower_ in ("up", "over") for c in tok.children):
        return []  # "picks up X" is an acquisition
    as_title = any(t.lower_ in _TITLE_WORDS for p in prep_objects(tok, ("as",)) for t in p.subtree)
    if as_title or any(t.lower_ in _PERSON_NOUNS for o in objs for t in o.subtree) \
            or _SEARCH_FIRM.search(s.text):
        return []  # "taps former X executive Ana Ruiz as CFO", "taps headhunter X": people, not vendors
    client = s.subject_org(tok)
    vendor = None
    for o in objs:
        owner = possessor(o)
        if owner is not None:
            vendor = s.org(owner) if owner.lower_ not in ("its", "their") else (
                s.subject_org(said) if (said := governing_said(tok)) is not None else s.ctx)
        elif s.org(o) and o.ent_type_ not in ("MONEY", "CARDINAL"):
            vendor = s.org(o)
        if vendor:
            break
    if tok.lower_ in forms("win", "sign") and vendor and re.search(r"\bcustomer", s.text, re.I):
        vendor, client = client, vendor  # "Kaltwerk has won Rheinwohnen as a customer"
    if not vendor or not client or vendor == client:
        return []
    return make(s, "partnership", vendor, "customer_win", 0.75, tok, {"partner": client})


def partnership(s: Sentence) -> list[Candidate]:
    if not (s.has_any(_TEAM_VERBS, _DEAL_VERBS, PARTNER_NOUNS, CUSTOMER_VERBS, _CONTRACT_VERBS)):
        return []
    out: list[Candidate] = []
    for tok in s.doc:
        w = tok.lower_
        if tok.dep_ not in _VERBAL or in_background_clause(tok):
            continue
        if any(t.lower_ in _MERGER_WORDS for t in tok.subtree):
            continue  # a merger agreement is a deal of another kind
        if w in _TEAM_VERBS or (w in _DEAL_VERBS and any(t.lower_ in PARTNER_NOUNS for t in tok.subtree)):
            subj = list(dict.fromkeys(x for x in (s.org(t) for t in subjects(tok)) if x))
            if not subj:
                continue
            partner = _with_partner(s, tok, subj[0])
            contract = bool(re.search(r"\bcontract\b", " ".join(t.lower_ for t in tok.subtree)))
            if len(subj) > 1 and not partner:
                for a in subj:
                    other = next(b for b in subj if b != a)
                    out += make(s, "partnership", a, "contract" if contract else "partnership", 0.8, tok,
                                {"partner": other})
            elif partner:
                if is_passive(tok) and contract:
                    out += make(s, "partnership", subj[0], "contract", 0.8, tok, {"partner": partner})
                else:
                    out += make(s, "partnership", subj[0], "contract" if contract else "partnership", 0.8, tok,
                                {"partner": partner})
        elif w in _CONTRACT_VERBS and any(
                t.lower_ in _CONTRACT_NOUNS for t in tok.subtree):
            subj_org = s.subject_org(tok)
            partner = (_with_partner(s, tok, subj_org)
                       or _first_org(s, [t for t in tok.subtree if t.dep_ in ("pobj",)], exclude=subj_org)
                       or _public_body(s, tok))
            if subj_org and partner:
                out += make(s, "partnership", subj_org, "contract", 0.8, tok, {"partner": partner})
        elif w in CUSTOMER_VERBS and (w not in forms("sign", "win") or re.search(r"\bcustomer", s.text, re.I)):
            out += _customer_win(s, tok)
        if out:
            break
    return out
