"""Citation patterns are data: each language's file finds its own forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from docutils import nodes as dn
from itu.autolink import Cited, Flat, find_citations, patterns
from itu.data import load_site_data

DATA = ROOT / "source" / "_data"

EXAMPLES = {
    "en": [("WTSA Resolution 43 (Rev. Geneva, 2022)", "WTSA Resolution 43 (Rev. Geneva, 2022)",
            Cited("resolution", "WTSA", "43", "Geneva, 2022")),
           ("Resolution 1353 of the Council", "Resolution 1353 of the Council",
            Cited("resolution", "Council", "1353")),
           ("Decision 12 (Rev. Busan, 2014)", "Decision 12 (Rev. Busan, 2014)",
            Cited("decision", "PP", "12", "Busan, 2014"))],
    "fr": [("la Résolution 44 (Rév. Hammamet, 2016) de la présente Assemblée",
            "Résolution 44 (Rév. Hammamet, 2016) de la présente Assemblée",
            Cited("resolution", "WTSA", "44", "Hammamet, 2016")),
           ("Résolution 71 (Rév. Bucarest, 2022) de la Conférence de plénipotentiaires",
            "Résolution 71 (Rév. Bucarest, 2022) de la Conférence de plénipotentiaires",
            Cited("resolution", "PP", "71", "Bucharest, 2022"))],
    "es": [("las Resoluciones 44 y 54 (Rev. Nueva Delhi, 2024) de esta Asamblea", "44",
            Cited("resolution", "WTSA", "44", "New Delhi, 2024"))],
    "ru": [("Резолюция 44 (Пересм. Хаммамет, 2016 г.) настоящей Ассамблеи",
            "Резолюция 44 (Пересм. Хаммамет, 2016 г.) настоящей Ассамблеи",
            Cited("resolution", "WTSA", "44", "Hammamet, 2016"))],
    "ar": [("القرار 71 (المراجَع في بوخارست، 2022) لمؤتمر المندوبين المفوضين",
            "القرار 71 (المراجَع في بوخارست، 2022) لمؤتمر المندوبين المفوضين",
            Cited("resolution", "PP", "71", "Bucharest, 2022"))],
    "zh": [("本全会第 44 号决议（2016年，哈马马特，修订版）",
            "本全会第 44 号决议（2016年，哈马马特，修订版）",
            Cited("resolution", "WTSA", "44", "Hammamet, 2016"))],
}


@pytest.mark.parametrize("language", sorted(EXAMPLES))
def test_each_language_file_reads_its_citations(language):
    data = load_site_data(Path(DATA.parent))
    found, assemblies = patterns(data, language), data.assemblies
    for text, link_text, cited in EXAMPLES[language]:
        flat = Flat(dn.paragraph("", text))
        spans = find_citations(flat, found, "WTSA", assemblies)
        assert spans, text
        start, end, first = spans[0]
        assert (flat.text[start:end], first) == (link_text, cited)


def test_every_language_has_a_patterns_file():
    assert {p.stem for p in (DATA / "citations").glob("*.yaml")} == {
        "ar", "en", "es", "fr", "ru", "zh"}
