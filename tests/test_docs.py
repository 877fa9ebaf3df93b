"""Docs kept honest: every setting is documented with its help text."""
from pathlib import Path

from radar.settings import Settings, SourceEntry

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_in_the_configuration_docs() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for section, field in Settings.model_fields.items():
        model = SourceEntry if section == "sources" else field.annotation
        heading = "## [[sources]]" if section == "sources" else f"## [{section}]"
        assert heading in text, f"{heading} missing: run python -m radar.settings_doc > docs/configuration.md"
        part = text.split(heading, 1)[1].split("\n## ", 1)[0]
        assert model is not None
        for key, f in model.model_fields.items():
            assert f"`{key}`" in part, f"setting {section}.{key} is not in docs/configuration.md"
            assert f.description and f.description in part, f"help text of {section}.{key} is not in the docs"


def test_every_command_is_in_the_commands_reference() -> None:
    from radar.cli.reference import commands

    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    for path, cmd in commands():
        heading = f"## radar {' '.join(path)}"
        assert heading in text, f"{heading} missing: run python -m radar.cli.reference > docs/commands.md"
        part = text.split(heading, 1)[1].split("\n## ", 1)[0]
        for p in cmd.params:
            if p.param_type_name == "option" and p.name != "help":
                assert p.opts[0] in part, f"option {p.opts[0]} of radar {' '.join(path)} is not in docs/commands.md"
