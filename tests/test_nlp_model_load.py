"""A missing spaCy pipeline is reported in one line with the fix."""
import pytest

from radar.errors import ModelLoadError
from radar.nlp import model


def test_missing_pipeline_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    model.load_pipeline.cache_clear()
    monkeypatch.setattr(model, "MODEL_NAME", "en_core_web_does_not_exist")
    try:
        with pytest.raises(ModelLoadError) as err:
            model.load_pipeline()
        assert "make install" in str(err.value) and "\n" not in str(err.value)
    finally:
        model.load_pipeline.cache_clear()
