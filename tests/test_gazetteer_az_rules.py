"""Rules of the Azerbaijani recogniser that encode the language, each on sentences written for the test."""

import pytest

from polycorpus.entities.az import AzRecognizer


def found(*texts):
    recogniser = AzRecognizer(model=False)
    return [(text[s:e], label) for text, spans in zip(texts, recogniser.find_many(list(texts))) for s, e, label in spans]


@pytest.mark.parametrize("text, expected", [
    # a lower-case title after a name stays inside, inflected or followed by the surname
    ("Bunu Cavad xan etdi, Həsən bəyin oğlu isə getdi.", [("Cavad xan", "PER"), ("Həsən bəyin", "PER")]),
    ("Bunu Əli Mərdan bəy Topçubaşov etdi.", [("Əli Mərdan bəy Topçubaşov", "PER")]),
    # a place (in any case) before the name is not part of it
    ("Şuşada Əbdürrəhim bəy Haqverdiyevin evi var idi.", [("Şuşada", "LOC"), ("Əbdürrəhim bəy Haqverdiyevin", "PER")]),
    # a capitalised title opens the name
    ("Orada Şeyx Heydəri öldürdülər.", [("Şeyx Heydəri", "PER")]),
])
def test_titles(text, expected):
    assert found(text) == expected


def test_regnal_numerals_open_a_rulers_name_but_not_an_ordinal_event():
    assert found("Sonra I Xəlilullah və III İvanın elçiləri gəldi. I Dünya müharibəsi başladı.") == [
        ("I Xəlilullah", "PER"), ("III İvanın", "PER"), ("I Dünya müharibəsi", "EVENT")]


def test_capitalised_plurals_are_dynasties_or_families_and_name_the_dynasty_elsewhere():
    assert found("Onlar Qaraqoyunlular və Hacıbəyovlar ilə danışdı.", "Fərrux Yasar Qaraqoyunlu ilə döyüşdü.") == [
        ("Qaraqoyunlular", "LOC"), ("Hacıbəyovlar", "PER"), ("Fərrux Yasar", "PER"), ("Qaraqoyunlu", "LOC")]
    assert found("Yerli şuralar və Şuralar toplandı.") == []     # a plural head is no dynasty


def test_a_reference_lists_surname_before_initials_keeps_the_final_period():
    assert found("Nəbiyeva G.M. Azərbaycan tarixi. Bakı, 2010.") == [("Nəbiyeva G.M.", "PER"), ("Bakı", "LOC")]


def test_an_organisation_named_after_a_person_is_one_name():
    assert found("O, AMEA Z.M.Bünyadov adına Şərqşünaslıq İnstitutu əməkdaşıdır.",
                 "Sonra Üzeyir Hacıbəyli adına Bakı Musiqi Akademiyasında oxudu.") == [
        ("AMEA Z.M.Bünyadov adına Şərqşünaslıq İnstitutu", "ORG"), ("Üzeyir Hacıbəyli adına Bakı Musiqi Akademiyasında", "ORG")]


def test_lower_case_heads_of_battles_treaties_and_coordinated_organisations():
    assert found("Bu, Gülüstan müqaviləsi ilə bitdi, sonra Çaldıran döyüşü oldu.",
                 "O, Azərbaycan Dövlət Opera və Balet Teatrında oxudu.") == [
        ("Gülüstan müqaviləsi", "WORK"), ("Çaldıran döyüşü", "EVENT"), ("Azərbaycan Dövlət Opera və Balet Teatrında", "ORG")]


def test_the_texts_of_one_document_share_dynasties_and_common_nouns():
    recogniser = AzRecognizer(model=False)
    texts = ["Onlar Qaraqoyunlular ilə döyüşdü.", "Fərrux Yasar Qaraqoyunlu ilə danışdı.",
             "Cənubİ qafqazin rusİya tərəfİndən İşğali və azərbaycan xanliqlarinin taleyİ",  # a heading in capitals, read in sentence case
             "Azərbaycan xanlıqları."]
    found = [[(text[s:e], label) for s, e, label in spans] for text, spans in zip(texts, recogniser.find_each(texts))]
    assert found[1] == [("Fərrux Yasar", "PER"), ("Qaraqoyunlu", "LOC")]
    assert found[3] == [("Azərbaycan", "LOC")]


def test_a_heading_in_capitals_read_in_sentence_case_still_names_its_places():
    assert found("Cənubİ qafqazin rusİya tərəfİndən İşğali və azərbaycan xanliqlarinin taleyİ") == [
        ("rusİya", "LOC"), ("azərbaycan", "LOC")]
    assert found("Bu rusiya deyil.") == []      # in a text in its own case, a lower-case word is no name


def test_a_dynasty_stays_a_place_where_its_singular_is_a_common_noun():
    # "şirvanşah" is the ruler's title; "Şirvanşahlar" the dynasty and its state
    assert found("Son şirvanşah Şahrux əsir alındı.", "Bu yolların hissəsi Şirvanşahlar dövlətinin idi.",
                 "Şirvanşahlar dövləti güclü idi.") == [("Şirvanşahlar", "LOC"), ("Şirvanşahlar", "LOC")]
