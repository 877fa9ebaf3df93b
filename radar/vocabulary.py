"""The shared vocabulary: signal types, functions, seniorities, stages and sizes.

Settings, extraction, ranking and queries all speak these words; they live here, below
all of them, so none has to import another to know them.
"""

from typing import Literal, get_args

SIGNAL_TYPES = (
    "funding", "leadership_change", "search_mandate", "expansion", "acquisition", "ipo",
    "product_launch", "partnership", "hiring_surge", "layoffs",
)
# The settings validate against these as Literal types; the tuples list the same words.
Function = Literal[
    "engineering", "product", "design", "data", "sales", "marketing", "customer_success",
    "finance", "operations", "people", "legal", "executive",
]
Seniority = Literal["c_level", "vp", "head", "director", "manager", "senior", "mid"]
Stage = Literal["pre_seed", "seed", "series_a", "series_b", "series_c", "growth", "public", "private", "nonprofit"]
Size = Literal["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"]
FUNCTIONS: tuple[Function, ...] = get_args(Function)
SENIORITIES: tuple[Seniority, ...] = get_args(Seniority)
STAGES: tuple[Stage, ...] = get_args(Stage)
SIZES: tuple[Size, ...] = get_args(Size)
# Upper bound of each size band, in SIZES order (the last has none).
_SIZE_TOPS = (10, 50, 200, 1000, 5000)
# The stage a funding round leaves an organization at.
STAGE_OF_ROUND: dict[str, Stage] = {
    "pre_seed": "pre_seed", "seed": "seed", "series_a": "series_a", "series_b": "series_b", "series_c": "series_c",
    "series_d": "growth", "series_e": "growth", "series_f": "growth", "growth": "growth"}
# Stages an organization can be found at: the profile's stages, and taken over by another.
ORG_STAGES: tuple[str, ...] = (*get_args(Stage), "acquired")


def size_band(employees: int) -> Size:
    """The size band of a head count: 45 -> "11-50"."""
    for top, band in zip(_SIZE_TOPS, SIZES, strict=False):
        if employees <= top:
            return band
    return SIZES[-1]
