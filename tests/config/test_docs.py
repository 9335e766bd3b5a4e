"""README and .env.example document every variable the settings read (the front door stays true)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# BENCH_* are read only by the benchmark suite's own settings (config/settings/bench.py); README's Performance
# section documents them.


def variables_read():
    names = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        names |= set(re.findall(r'env_[a-z]+\(\s*"([A-Z][A-Z0-9_]+)"', path.read_text()))
    return {name for name in names if not name.startswith("BENCH_")}


def test_every_variable_is_in_env_example():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert sorted(variables_read() - documented) == []


def test_every_variable_is_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text()
    assert sorted(name for name in variables_read() if f"`{name}`" not in readme) == []
