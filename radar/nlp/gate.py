"""The cheap gate: a sentence reaches the statistical pipeline only if it can carry a signal."""
import re

TRIGGERS = re.compile(
    r"\b(rais(e|es|ed|ing)|secur(e|es|ed)|clos(e|es|ed)|funding|financing|series [a-h]\b|seed|round|"
    r"invest(s|ed|ment)|backed|appoint|nam(e|es|ed) .{0,40}(as|to)|hire[sd]?|hiring|join(s|ed)?|promot|"
    r"step(s|ped)? down|resign|depart|retir|succeed|chief|officer|president|head of|vp|vice president|"
    r"director|search|recruit|acqui|merge|buy(s|ing)?|bought|purchas|ipo|initial public offering|listing|"
    r"go(es|ing)? public|launch|unveil|introduc|releas|partner|collaborat|agreement|contract|selected|"
    r"expan|open(s|ed|ing)?|headquarters|office|facility|plant|lay(s|ing)? off|layoff|job cuts|cut(s|ting)? .{0,20}jobs|"
    r"restructur|workforce|headcount|employees)\b",
    re.I,
)


def passes(sentence: str) -> bool:
    return bool(TRIGGERS.search(sentence))
