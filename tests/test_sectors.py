"""Sectors from the keywords of `data/sectors.toml` (`coopwatch.extract.sectors.SectorMatcher`)."""
from __future__ import annotations

from coopwatch.extract.sectors import SectorMatcher


def test_a_university_is_education_unless_the_sentence_speaks_of_another_field():
    sectors = SectorMatcher()
    assert sectors.of_text("The two countries opened a joint university in Almaty.") == ["education_culture"]
    assert sectors.of_text("Research institutes and universities of both countries took part.") == ["science"]
    assert sectors.of_text("said Li Wei, a nuclear physicist at a university in Wuhan.") == ["nuclear"]


def test_training_people_is_no_railway():
    sectors = SectorMatcher()
    assert "transport" not in sectors.of_text("India will help Ghana train engineers and nurses.")
    assert sectors.of_text("The first freight trains ran from Chongqing to Duisburg.") == ["transport"]
