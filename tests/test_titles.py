"""The one title normalizer: common titles read the same for signals and for the profile."""
import pytest

from radar.rank.score import profile_functions, profile_levels
from radar.settings import Profile
from radar.titles import normalize_title

COMMON = [
    ("Chief Executive Officer", "executive", "c_level"),
    ("President and CEO", "executive", "c_level"),
    ("Turnaround CEO", "executive", "c_level"),
    ("Chief Financial Officer", "finance", "c_level"),
    ("Chief Revenue Officer", "sales", "c_level"),
    ("Chief Information Officer", "engineering", "c_level"),
    ("Chief Restructuring Officer", "executive", "c_level"),
    ("General Counsel", "legal", "c_level"),
    # A Managing Director runs the company; a bare Director sits on its board (8-K Item 5.02).
    ("Managing Director", "executive", "c_level"),
    ("Director", "executive", "c_level"),
    ("Independent Director", "executive", "c_level"),
    ("Executive Chairman", "executive", "c_level"),
    ("Co-Founder", "executive", "c_level"),
    ("Senior Vice President, Sales", "sales", "vp"),
    ("VP People Operations", "people", "vp"),
    ("VP of Engineering", "engineering", "vp"),
    ("Head of Research", "engineering", "head"),
    ("Head of Investor Relations", "finance", "head"),
    ("Head of Enterprise Sales", "sales", "head"),
    ("General Manager", "executive", "head"),
    ("Director of Data Science", "data", "director"),
    ("Senior Director, Product Marketing", "product", "director"),
    ("Engineering Manager", "engineering", "manager"),
    ("Plant Manager", "operations", "manager"),
    ("Senior Software Engineer", "engineering", "senior"),
    ("Data Scientist", "data", None),
]


@pytest.mark.parametrize("title,function,seniority", COMMON)
def test_common_titles(title: str, function: str, seniority: str) -> None:
    assert normalize_title(title) == (function, seniority)


def test_unknown_and_empty_titles() -> None:
    assert normalize_title(None) == (None, None)
    assert normalize_title("") == (None, None)
    assert normalize_title("Spokesperson") == (None, None)


def test_profile_roles_read_as_signal_titles() -> None:
    profile = Profile(roles=["Managing Director", "Head of Research"])
    assert profile_functions(profile) == {"executive", "engineering"}
    assert profile_levels(profile) == {"c_level", "head"}
