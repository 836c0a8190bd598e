"""The documentation names only commands and environment variables that exist.

docs/*.md and README.md are read for management commands (`manage.py xyz`, and the
portal's own command names in backticks: `polls_flush_ballot_pools`), `make` targets and
environment variables (`NAME=value`, the README's configuration table, any UPPER_CASE
name in backticks). Commands are checked against Django's `get_commands()`, variables
against what the code reads (`os.environ`, `env_bool`, `env_list`, the Makefile's `?=`),
so a renamed command or variable cannot leave the docs behind.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

BASE = Path(__file__).resolve().parent.parent
DOCS = sorted((BASE / "docs").glob("*.md")) + [BASE / "README.md"]
CODE_DIRS = ("portal", "home", "accounts", "consultations", "locale_overrides", "bench", "tests")

MANAGE_PY = re.compile(r"manage\.py[ \t]+([a-z][a-z0-9_]*)")
MAKE = re.compile(r"^(?:[A-Z_]+=\S+\s+)*make\s+([a-z][a-z0-9-]*)")
FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
BACKTICKED = re.compile(r"`([^`\n]+)`")
# The portal's commands are named <capability>_<verb>_<what> (and load_demo).
PORTAL_COMMAND = re.compile(
    r"^(?:(?:consultations|hearings|notifications|outcomes|polls|portal|ledger|roster|"
    r"suggestions|residents)_(?:install|refresh|purge|send|flush|repair|sync|import|export)"
    r"_[a-z0-9_]+|load_demo|purge_personal_data)(?:\s|$)"
)
UPPER = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z]{4,}\b")
ASSIGNMENT = re.compile(r"(?<![\w./-])([A-Z][A-Z0-9_]*[A-Z0-9])=")
ENV_READ = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list|environ\.setdefault)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
    r"""|\$\{?([A-Z][A-Z0-9_]*)(?::-[^}]*)?\}?"""
)
MAKE_VARIABLE = re.compile(r"^([A-Z][A-Z0-9_]*)\s*\?=|\$\(([A-Z][A-Z0-9_]*)\)", re.MULTILINE)
# Apps the settings add only under some variables (TASKS_BACKEND=rq adds django_rq).
OPTIONAL_COMMAND_APPS = ("django_rq",)
MAKE_TARGET = re.compile(r"^([a-z][a-z0-9-]*):", re.MULTILINE)


def code_files():
    yield from BASE.glob("*.py")
    for directory in CODE_DIRS:
        yield from (BASE / directory).rglob("*.py")
        yield from (BASE / directory).rglob("*.sh")
    yield BASE / ".ci" / "run"


def environment_variables():
    """Every variable the code, the scripts or the Makefile read from the environment."""
    names = set()
    for path in code_files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            for match in ENV_READ.finditer(text):
                if match.group(1) or match.group(2):
                    names.add(match.group(1) or match.group(2))
        else:
            names.update(m.group(3) for m in ENV_READ.finditer(text) if m.group(3))
    for declared, used in MAKE_VARIABLE.findall((BASE / "Makefile").read_text(encoding="utf-8")):
        names.add(declared or used)
    return names


def all_commands():
    """Django's commands, and those of the apps some settings add."""
    import importlib.util

    from django.core.management import find_commands

    names = set(get_commands())
    for app in OPTIONAL_COMMAND_APPS:
        spec = importlib.util.find_spec(app)
        if spec is not None and spec.submodule_search_locations:
            names.update(
                find_commands(str(Path(spec.submodule_search_locations[0]) / "management"))
            )
    return names


def code_words():
    words = set()
    for path in code_files():
        words.update(re.findall(r"\b[A-Z][A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    return words


def docs_text():
    return {path.relative_to(BASE).as_posix(): path.read_text(encoding="utf-8") for path in DOCS}


def code_spans(text):
    """Backticked spans and the lines of fenced code blocks: where commands are typed."""
    yield from BACKTICKED.findall(text)
    for block in FENCED.findall(text):
        yield from (line.strip() for line in block.splitlines())


def commands_named(text):
    names = set(MANAGE_PY.findall(text))
    for span in BACKTICKED.findall(text):
        if PORTAL_COMMAND.match(span):
            names.add(span.split()[0])
    return names


def variable_table_cells(text):
    """The first cells of tables headed `| variable | …`: the README's configuration."""
    in_table = False
    for line in text.splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        first = line.split("|")[1].strip()
        if first.lower() == "variable":
            in_table = True
        elif in_table:
            yield first


def variables_named(text):
    """Names the docs give as environment variables: `NAME=value` and variable tables."""
    names = set(ASSIGNMENT.findall(text))
    for cell in variable_table_cells(text):
        names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", cell))
    return names


def test_the_checks_see_the_docs():
    """The patterns find what the README is known to name (so the checks are not empty)."""
    readme = (BASE / "README.md").read_text(encoding="utf-8")
    assert {"portal_sync_site", "polls_flush_ballot_pools"} <= commands_named(readme)
    assert {"SECRET_KEY", "DATABASE_URL", "PORTAL_TRUSTED_PROXY_COUNT"} <= variables_named(readme)
    for audience in ("editors", "officials", "residents", "operators"):
        assert (BASE / "docs" / f"{audience}.md").exists(), audience


@pytest.mark.parametrize("name", sorted(docs_text()))
def test_every_command_named_exists(name):
    text = docs_text()[name]
    missing = sorted(commands_named(text) - all_commands())
    assert not missing, f"{name} names commands that do not exist: {missing}"


@pytest.mark.parametrize("name", sorted(docs_text()))
def test_every_make_target_named_exists(name):
    targets = set(MAKE_TARGET.findall((BASE / "Makefile").read_text(encoding="utf-8")))
    named = {m.group(1) for span in code_spans(docs_text()[name]) if (m := MAKE.match(span))}
    missing = sorted(named - targets)
    assert not missing, f"{name} names make targets that do not exist: {missing}"


@pytest.mark.parametrize("name", sorted(docs_text()))
def test_every_environment_variable_named_is_read(name):
    missing = sorted(variables_named(docs_text()[name]) - environment_variables())
    assert not missing, f"{name} names environment variables nothing reads: {missing}"


@pytest.mark.parametrize("name", sorted(docs_text()))
def test_every_upper_case_name_in_backticks_exists(name):
    """A setting, a variable or a constant: whatever the docs spell in capitals is real."""
    known = environment_variables() | code_words()
    missing = set()
    for span in BACKTICKED.findall(docs_text()[name]):
        if "/" in span:
            continue  # a path (locale/zh_Hans/LC_MESSAGES/…)
        for word in UPPER.findall(span):
            if word not in known and not hasattr(settings, word):
                missing.add(word)
    assert not missing, f"{name} names settings or variables that do not exist: {sorted(missing)}"
