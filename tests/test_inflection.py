"""Morphology of names: Azerbaijani suffixes (vowel harmony, buffer consonants, hyphen and
apostrophe forms) and Russian case forms through pymorphy3."""

import pytest

from polycorpus.entities.inflection import az_stems, ru_lemma, ru_stem
from polycorpus.entities.linking import link_key


@pytest.mark.parametrize("word, stem", [
    ("Şirvanşahlara", "Şirvanşah"),     # plural + dative, back harmony
    ("Səfəvilərdən", "Səfəvi"),         # plural + ablative, front harmony
    ("Rəsulzadənin", "Rəsulzadə"),      # genitive after a vowel: buffer n
    ("Moskvaya", "Moskva"),             # dative after a vowel: buffer y
    ("Komitəsinə", "Komitə"),           # possessive s + dative n
    ("Nazirliyi", "Nazirlik"),          # k softened to y before a vowel
    ("SSRİ-nin", "SSRİ"),               # after an abbreviation, a hyphen
    ("Bakı'da", "Bakı"),                # set off by an apostrophe, as Turkish writes it
    ("Türkiyə’nin", "Türkiyə"),
])
def test_az_stems_undo_case_and_plural_suffixes(word, stem):
    stems = az_stems(word)
    assert stems[0] == word and stem in stems


def test_an_apostrophe_inside_a_name_is_no_suffix():
    assert az_stems("O'Brayen") == ["O'Brayen"]


def test_inflected_az_forms_share_the_link_key_of_the_name():
    assert link_key("Bakı'da", "LOC", "az") == link_key("Bakıdan", "LOC", "az") == link_key("Bakı", "LOC", "az")


@pytest.mark.parametrize("forms, lemma", [
    (("Ротшильдами", "Ротшильда", "Ротшильд"), "Ротшильд"),
    (("Нахичевани", "Нахичеванью"), "Нахичевань"),
    (("Турции", "Турцией", "Турция"), "Турция"),
])
def test_ru_case_forms_share_their_lemma_and_stem(forms, lemma):
    assert {ru_lemma(form) for form in forms} == {lemma}
    assert len({ru_stem(form) for form in forms}) == 1


def test_ru_lemma_leaves_other_scripts_and_words_as_they_are():
    assert ru_lemma("Bakı") == "Bakı" and ru_lemma("ЧК") == "ЧК" and ru_lemma("") == ""
