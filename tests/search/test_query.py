"""The query parser on its own: words, phrases, operators, filters, synonyms, odd input."""

from __future__ import annotations

from datetime import date

import pytest

from forum.search.highlight import blurb
from forum.search.query import MAX_CLAUSES, Parser, Phrase, Word, clean

TODAY = date(2025, 6, 15)


def parse(text, synonyms=(), **kwargs):
    return Parser(synonyms, **kwargs).parse(text, today=TODAY)


def words(query) -> list:
    return [[a for a in c.alternatives] for c in query.clauses]


def test_words_are_lower_cased_and_stop_words_dropped():
    query = parse("The Practice and the ICB ")
    assert words(query) == [[Word("practice")], [Word("icb")]]


def test_only_the_last_word_typed_is_a_prefix():
    assert words(parse("practice merg")) == [[Word("practice")], [Word("merg", prefix=True)]]
    # A space after it means the word is finished.
    assert words(parse("practice merg ")) == [[Word("practice")], [Word("merg")]]
    # Too short to be worth expanding.
    assert words(parse("ab")) == [[Word("ab")]]


def test_quoted_phrases_and_unbalanced_quotes():
    assert words(parse('"practice merger" help')) == [
        [Phrase(("practice", "merger"))],
        [Word("help", prefix=True)],
    ]
    assert words(parse('"practice merger')) == [[Phrase(("practice", "merger"))]]
    assert words(parse('"ICB"')) == [[Word("icb")]]


def test_or_not_and_minus():
    query = parse("wound OR dressing -leg NOT ulcer AND care ")
    assert words(query) == [[Word("wound"), Word("dressing")], [Word("care")]]
    assert query.excluded == [Word("leg"), Word("ulcer")]


def test_filters():
    query = parse(
        "@Alice user:bob #contracts #=lmc-news #wales:cardiff in:title in:first "
        "before:2025-03 after:2024 status:closed order:latest type:sla merger"
    )
    assert query.usernames == ["alice", "bob"]
    assert query.categories == [("contracts", True), ("lmc-news", False), ("wales:cardiff", True)]
    assert query.in_title and query.in_first
    assert query.before == date(2025, 3, 1) and query.after == date(2024, 1, 1)
    assert query.statuses == ["closed"]
    assert query.order == "latest"
    assert query.type_names == ["sla"]
    assert words(query) == [[Word("merger", prefix=True)]]
    assert query.notices == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-02-03", date(2025, 2, 3)),
        ("2025-02", date(2025, 2, 1)),
        ("2025", date(2025, 1, 1)),
        ("7", date(2025, 6, 8)),
        ("yesterday", date(2025, 6, 14)),
    ],
)
def test_dates(value, expected):
    assert parse(f"after:{value} x1").after == expected


@pytest.mark.parametrize(
    "token", ["before:soon", "after:2025-13-45", "status:solved", "order:views", "in:bookmarks"]
)
def test_a_filter_with_a_bad_value_is_ignored_with_a_notice(token):
    query = parse(f"{token} merger")
    assert query.notices, token
    assert words(query) == [[Word("merger", prefix=True)]]
    assert not query.statuses and query.order == "relevance"


def test_unknown_fields_are_searched_as_words():
    assert words(parse("colour:blue ")) == [[Word("colour")], [Word("blue")]]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "AND OR NOT", "*", "~", "^", "((", '"', "🎉🎉", "\x00\x00", "a b c", "-", '-""'],
)
def test_nothing_to_search_for(text):
    assert parse(text).empty


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wound*", [[Word("wound", prefix=True)]]),
        ("wound~2 care^3 ", [[Word("wound")], [Word("care")]]),
        ("(wound AND care) ", [[Word("wound")], [Word("care")]]),
        ("practice\x00merger ", [[Word("practice")], [Word("merger")]]),
        ("practice \u202emerger ", [[Word("practice")], [Word("merger")]]),
        ("مرحبا بالعالم ", [[Word("مرحبا")], [Word("بالعالم")]]),
        ("ICB 🎉 ", [[Word("icb")]]),
    ],
)
def test_odd_input_searches_for_its_words(text, expected):
    assert words(parse(text)) == expected


def test_long_queries_are_capped_and_still_work():
    query = parse("wound " * 2000, max_length=200)
    assert "first 200 characters" in query.notices[0]
    assert 0 < len(query.clauses) <= MAX_CLAUSES
    many = parse(" ".join(f"word{n}" for n in range(40)) + " ", max_length=1000)
    assert len(many.clauses) == MAX_CLAUSES
    assert any(f"first {MAX_CLAUSES} words" in n for n in many.notices)


def test_clean_removes_control_and_format_characters():
    assert clean("a\x00b\u200bc\u202ed") == "a b c d"
    assert clean(None) == ""


SYNONYMS = [("LES", "LCS", "locally commissioned service"), ("INR", "anticoagulation")]


def test_a_synonym_word_becomes_any_of_its_group():
    query = parse("LES funding ", SYNONYMS)
    assert words(query) == [
        [Word("les"), Word("lcs"), Phrase(("locally", "commissioned", "service"))],
        [Word("funding")],
    ]


def test_a_synonym_phrase_matches_typed_words_and_quoted_phrases_with_stemming():
    expected = [Word("les"), Word("lcs"), Phrase(("locally", "commissioned", "service"))]
    assert words(parse("locally commissioned services ", SYNONYMS)) == [expected]
    assert words(parse('"locally commissioned service"', SYNONYMS)) == [expected]
    # Only the whole phrase: "locally" alone is just a word.
    assert words(parse("locally ", SYNONYMS)) == [[Word("locally")]]


def test_synonyms_keep_prefix_and_or_alternatives():
    query = parse("INR OR warfarin ", SYNONYMS)
    assert words(query) == [[Word("inr"), Word("anticoagulation"), Word("warfarin")]]


def test_similar_query_uses_any_title_word():
    query = Parser().similar("Practice merger: due diligence checklist?", "Has anyone a list")
    assert query.any_clause and query.in_first
    assert [c.alternatives[0].text for c in query.clauses][:5] == [
        "practice",
        "merger",
        "due",
        "diligence",
        "checklist",
    ]


def test_exact_title_is_the_free_text():
    assert parse("Practice merger @bob ").exact_title == "practice merger"


def test_blurb_marks_stemmed_and_prefixed_words_and_escapes_html():
    query = parse("practice merg")
    text = "<b>Two</b> practices are merging; practical help wanted."
    html = str(blurb(text, query))
    assert "&lt;b&gt;Two&lt;/b&gt;" in html
    assert "<mark>practices</mark>" in html and "<mark>merging</mark>" in html
    assert "<mark>practical</mark>" in html  # Porter2 stems it to "practic" as well


def test_blurb_centres_on_the_first_match_in_a_long_text():
    query = parse("phlebotomy ")
    text = "filler words here " * 100 + "the phlebotomy tariff " + "more text " * 100
    html = str(blurb(text, query))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>phlebotomy</mark>" in html
    assert len(html) < 300


def test_the_exact_title_keeps_the_words_as_typed():
    assert parse("Redirect the old SharePoint links").exact_title == (
        "redirect the old sharepoint links"
    )
    assert parse("LES funding ", SYNONYMS).exact_title == "les funding"


def test_filters_cannot_be_negated_or_ored():
    query = parse("wound -@alice OR #contracts NOT in:title ")
    assert query.usernames == [] and query.categories == [] and not query.in_title
    assert len(query.notices) == 3 and "cannot be negated" in query.notices[0]
    assert words(query) == [[Word("wound")]]


def test_stop_words_of_either_backend_are_nothing_to_search_for():
    assert parse("should what about").empty  # PostgreSQL's english stop words
    assert parse("tbd yet").empty  # Whoosh's


def test_a_partly_typed_word_also_tries_its_likely_stems():
    assert Word("mergi", prefix=True).partial_stems() == ["merg"]
    assert Word("practica", prefix=True).partial_stems() == ["pract", "practi", "practic"]
    assert Word("redis", prefix=True).partial_stems() == ["redi"]  # never "red"
    assert Word("redis").partial_stems() == []
