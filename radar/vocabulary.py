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
