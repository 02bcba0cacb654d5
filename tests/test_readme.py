"""The README stays true: every setting the gateway reads and every error code it emits is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gateway.errors import ERROR_CODES

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text()


def test_every_setting_read_from_the_environment_is_in_the_configuration_table() -> None:
    source = (ROOT / "gateway" / "settings.py").read_text()
    names = set(re.findall(r'(?:get|required|url|raw)\("([A-Z_]+)"', source))
    names |= {"<VENDOR>_" + n.upper() for n in re.findall(r'^    "([a-z_]+)": "', source, re.M)}
    assert names
    missing = sorted(n for n in names if f"`CAMPUSGRAPH_{n}`" not in README)
    assert not missing, f"undocumented settings: {missing}"


def test_every_error_code_is_in_the_error_table() -> None:
    missing = [code for code in ERROR_CODES if f"| `{code}` |" not in README]
    assert not missing, f"undocumented error codes: {missing}"


def test_every_code_of_the_error_table_is_one_the_gateway_knows() -> None:
    """The table listed CLIENT_CLOSED_REQUEST, which ERROR_CODES (the table's source) lacked: they list the same."""
    section = README.split("\n## Error codes\n", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([A-Z_]+)` \|", section, re.M)
    assert listed and sorted(listed) == sorted(ERROR_CODES), sorted(set(listed) ^ set(ERROR_CODES))


def test_the_error_table_gives_each_code_the_meaning_the_code_gives_it() -> None:
    """gateway/errors.py's ERROR_CODES and the README's table say the same (the two had drifted apart)."""
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| (.*) \|$", README, re.M))
    differ = [code for code, meaning in ERROR_CODES.items() if rows[code].replace("`", "") != meaning.replace("`", "")]
    assert not differ, f"the README and ERROR_CODES differ on: {differ}"


def test_every_scoped_field_is_in_the_access_table() -> None:
    from resolvers.permissions import FIELD_SCOPES

    missing = [f"{t}.{f}" for (t, f) in FIELD_SCOPES if f"`{t}.{f}`" not in README]
    assert not missing, f"scoped fields missing from README's access table: {missing}"



def test_every_command_is_in_the_readme_s_list_of_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """The Quick start's "Commands:" named serve, sandbox, demo and schema, not token and apikey, as did
    `campusgraph --help`'s description: a newcomer reading either did not learn how to mint a token."""
    from gateway import cli

    with pytest.raises(SystemExit):
        cli.main(["--help"])
    commands = re.search(r"\{([a-z,]+)\}", capsys.readouterr().out)
    assert commands is not None
    listed = README.split("\nCommands: ", 1)[1].split("\n\n", 1)[0]
    for command in commands.group(1).split(","):
        assert f"`campusgraph {command}`" in listed, (command, listed)
        assert f"``{command}``" in (cli.__doc__ or ""), (command, cli.__doc__)
