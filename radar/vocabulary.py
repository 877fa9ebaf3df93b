"""The shared vocabulary: signal types, functions, seniorities, stages and sizes.

Settings, extraction, ranking and queries all speak these words; they live here, below
all of them, so none has to import another to know them.
"""

SIGNAL_TYPES = (
    "funding", "leadership_change", "search_mandate", "expansion", "acquisition", "ipo",
    "product_launch", "partnership", "hiring_surge", "layoffs",
)
FUNCTIONS = (
    "engineering", "product", "design", "data", "sales", "marketing", "customer_success",
    "finance", "operations", "people", "legal", "executive",
)
SENIORITIES = ("c_level", "vp", "head", "director", "manager", "senior", "mid")
STAGES = ("pre_seed", "seed", "series_a", "series_b", "series_c", "growth", "public", "private", "nonprofit")
SIZES = ("1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+")
