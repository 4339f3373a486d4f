from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def extracted() -> dict[str, dict]:
    """Every fixture article run through the whole pipeline once, by document id."""
    from coopwatch.pipeline import extract_articles
    from coopwatch.read import read_paths

    # the fixture folder's articles and the Russian and Chinese ones (resolve/ has a suite of its own)
    paths = [p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html", ".jsonl")] + [FIXTURES / "ru", FIXTURES / "zh"]
    return {record["id"]: record for record in extract_articles(read_paths(sorted(paths)))}


def one(items: list[dict], **where) -> dict:
    """The single item whose fields contain the given values (strings: as substrings)."""
    def fits(item):
        return all(v in (item.get(k) or "") if isinstance(v, str) else item.get(k) == v for k, v in where.items())

    found = [item for item in items if fits(item)]
    assert len(found) == 1, f"expected one item with {where}, found {len(found)}: {found}"
    return found[0]
