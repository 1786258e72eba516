"""The matching rules of domain.md §3.3: filter, score, shortlist (pure, no app)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from plugins.mentoring.matching import (
    AUDIENCE_FIT,
    COMMON_MODE,
    NATION_MATTERS,
    NEEDS_COVERED,
    NO_COMMON_MODE,
    PER_SHARED_LANGUAGE,
    PER_SHARED_NEED,
    SAME_NATION,
    Candidate,
    Mentor,
    Need,
    eligible,
    rank,
    score,
    shortlist,
)

DEVON, CHESHIRE, LONDONWIDE, MORGANNWG, GLASGOW, HUMBERSIDE, BIRMINGHAM, NI_LMC = range(1, 9)
WESSEX = 20


def fs(*items):
    return frozenset(items)


def mentor(user_id: int = 100, **changes) -> Mentor:
    """A plain accepting mentor in England, with one place free."""
    values = dict(
        user_id=user_id,
        organisation_id=50,
        nation="england",
        kinds=fs("gp_mentor"),
        expertise=fs("negotiation"),
        audiences=fs("first5_gps"),
        modes=fs("video"),
        languages=fs(),
        capacity=2,
        active_count=0,
        accepting=True,
        prefers_out_of_area=False,
        excluded_organisation_ids=fs(),
    )
    values.update(changes)
    return Mentor(**values)


def need(**changes) -> Need:
    """A plain request from user 1 of organisation 60 in England."""
    values = dict(
        requester_id=1,
        organisation_id=60,
        nation="england",
        kinds=fs(),
        needs=fs("negotiation"),
        audience="first5_gps",
        modes=fs("video"),
        languages=fs(),
        out_of_area=False,
        nation_matters=False,
    )
    values.update(changes)
    return Need(**values)


# The mentors of domain.md §6.6 (user ids 1 to 8 in the table's order).
HELEN = mentor(
    1,
    organisation_id=DEVON,
    kinds=fs("lmc_officer_buddy", "gp_mentor"),
    expertise=fs("negotiation", "enhanced-services", "commissioners", "contracts"),
    audiences=fs("new_lmc_officers"),
    modes=fs("video", "phone"),
    capacity=2,
    active_count=1,
)
MARK = mentor(
    2,
    organisation_id=CHESHIRE,
    kinds=fs("lmc_staff_buddy", "lmc_officer_buddy"),
    expertise=fs("lmc-governance", "lmc-finance", "new_to_role_induction"),
    audiences=fs("new_lmc_officers", "lmc_staff"),
    modes=fs("video", "in_person"),
    capacity=3,
    active_count=1,
)
AISHA = mentor(
    3,
    organisation_id=LONDONWIDE,
    kinds=fs("gp_mentor"),
    expertise=fs("sessional-gps", "career_portfolio", "return_to_practice"),
    audiences=fs("first5_gps", "returners"),
    modes=fs("video"),
    capacity=3,
    active_count=2,
)
SIAN = mentor(
    4,
    organisation_id=MORGANNWG,
    nation="wales",
    kinds=fs("nurse_mentor"),
    expertise=fs("new_to_role_induction", "enhanced-services", "development"),
    audiences=fs("new_to_practice_nurses"),
    modes=fs("phone", "in_person"),
    languages=fs("welsh", "english"),
    capacity=2,
    active_count=0,
)
CALLUM = mentor(
    5,
    organisation_id=GLASGOW,
    nation="scotland",
    kinds=fs("lmc_officer_buddy"),
    expertise=fs("contracts", "negotiation", "commissioners", "premises"),
    audiences=fs("new_lmc_officers"),
    modes=fs("video"),
    capacity=1,
    active_count=1,
    accepting=False,
)
JANET = mentor(
    6,
    organisation_id=HUMBERSIDE,
    kinds=fs("lmc_staff_buddy"),
    expertise=fs("lmc-governance", "lmc-finance", "information-governance"),
    audiences=fs("lmc_staff"),
    modes=fs("video", "phone"),
    capacity=4,
    active_count=2,
)
RAV = mentor(
    7,
    organisation_id=BIRMINGHAM,
    kinds=fs("lmc_officer_buddy", "gp_mentor"),
    expertise=fs("pcns", "negotiation", "funding"),
    audiences=fs("new_lmc_officers"),
    modes=fs("video", "in_person"),
    capacity=2,
    active_count=2,
    accepting=False,
)
EILIS = mentor(
    8,
    organisation_id=NI_LMC,
    nation="northern_ireland",
    kinds=fs("pastoral_support", "gp_mentor"),
    expertise=fs("resilience", "wellbeing"),
    audiences=fs(),
    modes=fs("phone", "video"),
    capacity=2,
    active_count=1,
    prefers_out_of_area=True,
)
DEMO_MENTORS = (HELEN, MARK, AISHA, SIAN, CALLUM, JANET, RAV, EILIS)

NEW_CHIEF_EXECUTIVE = need(
    requester_id=42,
    organisation_id=WESSEX,
    kinds=fs("lmc_officer_buddy", "lmc_staff_buddy"),
    needs=fs("negotiation"),
    audience="new_lmc_officers",
    modes=fs("video"),
)


# -- Filter -----------------------------------------------------------------------------------


def test_a_plain_mentor_is_eligible():
    assert eligible(mentor(), need()) == (True, "")


def test_the_requester_is_never_their_own_mentor():
    ok, why = eligible(mentor(user_id=1), need(requester_id=1))
    assert not ok and why == "the requester themselves"
    assert shortlist([mentor(user_id=1), mentor(user_id=2)], need(requester_id=1)) == [
        score(mentor(user_id=2), need(requester_id=1))
    ]


@pytest.mark.parametrize("capacity", [0, -1])
def test_a_mentor_with_no_capacity_is_dropped(capacity):
    ok, why = eligible(mentor(capacity=capacity, active_count=0), need())
    assert not ok and why == "takes no mentees"


def test_a_capacity_of_a_thousand_is_taken_at_its_word():
    assert eligible(mentor(capacity=1000, active_count=999), need()) == (True, "")
    assert eligible(mentor(capacity=1000, active_count=1000), need()) == (False, "at capacity")


@pytest.mark.parametrize("active_count", [2, 3])
def test_a_mentor_at_or_over_capacity_is_dropped(active_count):
    ok, why = eligible(mentor(capacity=2, active_count=active_count), need())
    assert not ok and why == "at capacity"


def test_a_mentor_one_below_capacity_is_kept():
    assert eligible(mentor(capacity=2, active_count=1), need())[0]


def test_a_mentor_not_accepting_is_dropped():
    assert eligible(mentor(accepting=False), need()) == (False, "not accepting requests")


def test_a_mentor_who_excludes_the_requesters_organisation_is_dropped():
    ok, why = eligible(mentor(excluded_organisation_ids=fs(60, 61)), need(organisation_id=60))
    assert not ok and "organisation" in why
    assert eligible(mentor(excluded_organisation_ids=fs(61)), need(organisation_id=60))[0]


def test_exclusions_are_the_mentors_list_only():
    # The mentor's own organisation is not excluded unless the mentor lists it.
    assert eligible(mentor(organisation_id=60), need(organisation_id=60))[0]
    excluding_own = mentor(organisation_id=60, excluded_organisation_ids=fs(60))
    assert not eligible(excluding_own, need(organisation_id=60))[0]
    assert eligible(excluding_own, need(organisation_id=61))[0]


def test_a_requester_without_an_organisation_is_never_excluded():
    assert eligible(mentor(excluded_organisation_ids=fs(60)), need(organisation_id=None))[0]


def test_out_of_area_asked_by_the_mentee_drops_mentors_of_the_same_lmc():
    same, other = mentor(organisation_id=60), mentor(organisation_id=61)
    ok, why = eligible(same, need(organisation_id=60, out_of_area=True))
    assert not ok and "out-of-area" in why
    assert eligible(other, need(organisation_id=60, out_of_area=True))[0]
    assert eligible(same, need(organisation_id=60, out_of_area=False))[0]


def test_out_of_area_preferred_by_the_mentor_drops_mentees_of_the_same_lmc():
    picky = mentor(organisation_id=60, prefers_out_of_area=True)
    ok, why = eligible(picky, need(organisation_id=60))
    assert not ok and "prefers" in why
    assert eligible(picky, need(organisation_id=61))[0]


def test_out_of_area_needs_known_organisations():
    assert eligible(mentor(organisation_id=None), need(organisation_id=None, out_of_area=True))[0]
    nowhere = mentor(organisation_id=None, prefers_out_of_area=True)
    assert eligible(nowhere, need(organisation_id=None))[0]


def test_kinds_wanted_must_overlap_the_kinds_offered():
    nurse = mentor(kinds=fs("nurse_mentor"))
    ok, why = eligible(nurse, need(kinds=fs("gp_mentor", "pastoral_support")))
    assert not ok and "kinds" in why
    assert eligible(nurse, need(kinds=fs("nurse_mentor", "gp_mentor")))[0]
    assert eligible(nurse, need(kinds=fs()))[0]  # any kind


# -- Score ------------------------------------------------------------------------------------


def test_every_factor_adds_its_weight():
    full = mentor(
        expertise=fs("negotiation", "contracts"),
        audiences=fs("first5_gps"),
        modes=fs("video", "phone"),
        nation="wales",
        languages=fs("welsh"),
    )
    wanted = need(
        needs=fs("negotiation", "contracts", "premises"),
        audience="first5_gps",
        modes=fs("phone"),
        nation="wales",
        nation_matters=True,
        languages=fs("welsh"),
    )
    candidate = score(full, wanted)
    expected = (
        2 * PER_SHARED_NEED
        + NEEDS_COVERED * 2 / 3
        + AUDIENCE_FIT
        + COMMON_MODE
        + NATION_MATTERS
        + PER_SHARED_LANGUAGE
    )
    assert isinstance(candidate, Candidate)
    assert candidate.mentor is full
    assert candidate.score == round(expected, 2)
    assert candidate.reasons == (
        "2 of 3 needs: contracts, negotiation",
        "audience: first5_gps",
        "modes: phone",
        "nation: wales",
        "languages: welsh",
    )


def test_no_common_mode_costs_points_but_does_not_exclude():
    phone_only = mentor(modes=fs("phone"))
    wanted = need(modes=fs("video"))
    assert eligible(phone_only, wanted)[0]
    assert score(phone_only, wanted).score == score(mentor(), wanted).score - (
        COMMON_MODE - NO_COMMON_MODE
    )
    assert "no common mode" in score(phone_only, wanted).reasons


def test_no_preferred_mode_scores_nothing_either_way():
    assert (
        score(mentor(modes=fs("phone")), need(modes=fs())).score
        == score(mentor(modes=fs("video")), need(modes=fs())).score
    )


def test_nation_counts_more_when_it_matters():
    scottish = mentor(nation="scotland")
    base = score(mentor(nation="england"), need(nation="scotland")).score
    assert score(scottish, need(nation="scotland")).score == base + SAME_NATION
    mattering = need(nation="scotland", nation_matters=True)
    assert score(scottish, mattering).score == base + NATION_MATTERS


def test_each_language_asked_for_counts():
    polyglot = mentor(languages=fs("welsh", "gaelic", "polish"))
    base = score(mentor(), need(languages=fs("welsh", "gaelic"))).score
    assert score(polyglot, need(languages=fs("welsh", "gaelic"))).score == base + 2 * (
        PER_SHARED_LANGUAGE
    )
    assert score(mentor(languages=fs("Welsh")), need(languages=fs("welsh"))).score == base + (
        PER_SHARED_LANGUAGE
    )


def test_expertise_overlap_dominates():
    # One shared need outweighs audience, a common mode and the nation together.
    expert = mentor(101, expertise=fs("negotiation"), audiences=fs(), nation="wales")
    all_round = mentor(102, expertise=fs("premises"), audiences=fs("first5_gps"))
    wanted = need(needs=fs("negotiation"), nation="england")
    assert score(expert, wanted).score > score(all_round, wanted).score
    assert [c.mentor for c in shortlist([all_round, expert], wanted)] == [expert, all_round]


def test_covering_more_of_the_needs_ranks_higher():
    one = mentor(101, expertise=fs("negotiation"))
    two = mentor(102, expertise=fs("negotiation", "premises"))
    wanted = need(needs=fs("negotiation", "premises", "pcns"))
    assert [c.mentor for c in shortlist([one, two], wanted)] == [two, one]


def test_no_needs_named_scores_no_expertise():
    assert score(mentor(), need(needs=fs())).reasons[0] == "audience: first5_gps"


# -- Shortlist --------------------------------------------------------------------------------


def test_a_new_chief_executive_wanting_negotiation_gets_helen_and_mark():
    picks = shortlist(DEMO_MENTORS, NEW_CHIEF_EXECUTIVE)
    names = [c.mentor for c in picks]
    assert names[:2] == [HELEN, MARK]
    assert CALLUM not in names  # at capacity
    assert RAV not in names  # not accepting
    assert len(picks) == 3
    assert picks[0].score > picks[1].score
    assert picks[0].reasons[0] == "1 of 1 needs: negotiation"
    assert eligible(CALLUM, NEW_CHIEF_EXECUTIVE) == (False, "not accepting requests")
    assert not eligible(replace(CALLUM, accepting=True), NEW_CHIEF_EXECUTIVE)[0]
    assert eligible(RAV, NEW_CHIEF_EXECUTIVE) == (False, "not accepting requests")


def test_callum_and_rav_would_have_scored_well():
    # So leaving them out is the filter's doing, not the score's.
    helen = score(HELEN, NEW_CHIEF_EXECUTIVE).score
    assert score(CALLUM, NEW_CHIEF_EXECUTIVE).score >= helen - SAME_NATION
    assert score(RAV, NEW_CHIEF_EXECUTIVE).score == helen


def test_a_shortlist_holds_at_most_size_candidates():
    mentors = [mentor(user_id) for user_id in range(100, 110)]
    assert len(shortlist(mentors, need())) == 3
    assert len(shortlist(mentors, need(), size=2)) == 2
    assert len(rank(mentors, need())) == 10


def test_a_shortlist_is_shorter_when_fewer_are_eligible():
    assert shortlist([mentor(100), mentor(101, accepting=False)], need()) == [
        score(mentor(100), need())
    ]
    assert shortlist([], need()) == []
    assert shortlist(iter([mentor(100)]), need()) == [score(mentor(100), need())]


def test_a_shortlist_of_no_one_is_refused():
    with pytest.raises(ValueError):
        shortlist([mentor()], need(), size=0)


def test_a_welsh_speaker_is_preferred_when_welsh_is_asked_for():
    english = mentor(100, active_count=0)
    welsh = mentor(101, active_count=1, languages=fs("welsh"))
    assert [c.mentor for c in shortlist([english, welsh], need())] == [english, welsh]
    asked = need(languages=fs("welsh"))
    assert [c.mentor for c in shortlist([english, welsh], asked)] == [welsh, english]


def test_a_welsh_speaking_nurse_finds_sian():
    nurse = need(
        requester_id=77,
        organisation_id=99,
        nation="wales",
        needs=fs("new_to_role_induction"),
        audience="new_to_practice_nurses",
        modes=fs("phone"),
        languages=fs("welsh"),
    )
    picks = shortlist(DEMO_MENTORS, nurse)
    assert picks[0].mentor is SIAN
    assert "languages: welsh" in picks[0].reasons


def test_ties_break_on_fewer_active_mentees_then_user_id():
    a = mentor(105, active_count=1)
    b = mentor(103, active_count=0)
    c = mentor(101, active_count=1)
    d = mentor(102, active_count=0)
    expected = [d, b, c, a]
    for order in ([a, b, c, d], [d, c, b, a], [c, a, d, b]):
        assert [x.mentor for x in rank(order, need())] == expected
    assert {x.score for x in rank(expected, need())} == {score(a, need()).score}


def test_a_mentor_listed_twice_appears_once():
    assert len(shortlist([mentor(100), mentor(100)], need())) == 1
