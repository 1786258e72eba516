"""What search finds, on both backends: words, stems, phrases, prefixes, titles, filters,
and changes (edits, deletes, moves, permissions) reflected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from forum.accounts.models import AnonymousUser
from forum.categories.models import SEE, CategoryPermission
from forum.database import utcnow
from forum.extensions import db
from forum.search.service import search, similar_topics
from forum.topics import services
from forum.topics.models import Post, Topic
from tests.factories import group, make_category, make_reply, make_topic, make_user


def titles(user, text, **kwargs) -> list[str]:
    return [r.title for r in search(user, text, **kwargs).results]


@pytest.fixture
def forum(search_app):
    """A public category with a few topics, and a member to search as."""
    public = make_category("Contracts")
    alice, bob = make_user("alice"), make_user("bob")
    topics = {
        "redis": make_topic(
            alice, public, title="Redis caching for the LMC website", raw="We use redis."
        ),
        "redirect": make_topic(
            bob, public, title="Redirect the old SharePoint links", raw="A redirect each."
        ),
        "merger": make_topic(
            alice,
            public,
            title="Practice merger due diligence",
            raw="Two practices are merging next April; what should we check first?",
        ),
        "phlebotomy": make_topic(
            bob,
            public,
            title="Phlebotomy tariffs across the region",
            raw="The practice merger question came up at our meeting too.",
        ),
    }
    return {"public": public, "alice": alice, "bob": bob, "member": make_user(), **topics}


def test_finds_words_in_titles_and_bodies_with_english_stemming(forum):
    member = forum["member"]
    assert titles(member, "phlebotomy") == ["Phlebotomy tariffs across the region"]
    # "merging" in a body and "merger" in a title are different stems: "merging" only.
    assert titles(member, "merging ") == ["Practice merger due diligence"]
    assert set(titles(member, "practices ")) == {
        "Practice merger due diligence",
        "Phlebotomy tariffs across the region",
    }


def test_does_not_over_stem_redis_into_redirect(forum):
    member = forum["member"]
    assert titles(member, "redis") == ["Redis caching for the LMC website"]
    assert titles(member, "redirect") == ["Redirect the old SharePoint links"]


def test_the_last_word_matches_as_a_prefix(forum):
    member = forum["member"]
    assert titles(member, "phleb") == ["Phlebotomy tariffs across the region"]
    assert titles(member, "phleb ") == []  # a finished word is a word


def test_a_partly_typed_word_finds_its_stemmed_forms(forum):
    assert titles(forum["member"], "mergi") == ["Practice merger due diligence"]  # "merging"


def test_exact_title_with_stop_words_ranks_first(forum):
    member = forum["member"]
    make_topic(
        forum["bob"], forum["public"], title="Old SharePoint links", raw="Redirect the old links."
    )
    assert titles(member, "Redirect the old SharePoint links")[0] == (
        "Redirect the old SharePoint links"
    )


def test_exact_title_match_ranks_first(forum):
    # The phlebotomy topic's body says "practice merger" too, and more recently.
    found = titles(forum["member"], "practice merger due diligence")
    assert found[0] == "Practice merger due diligence"
    assert titles(forum["member"], "practice merger")[0] == "Practice merger due diligence"


def test_quoted_phrases_need_the_words_together(forum):
    member = forum["member"]
    assert set(titles(member, '"practice merger"')) == {
        "Practice merger due diligence",
        "Phlebotomy tariffs across the region",
    }
    assert titles(member, '"merger practice"') == []


def test_results_are_grouped_by_topic_with_the_best_post(forum):
    topic = forum["merger"].topic
    make_reply(topic, raw="Merger checklist: premises, staff, contracts.")
    make_reply(topic, raw="Another merger story.")
    found = search(forum["member"], "merger checklist").results
    assert [r.topic.id for r in found] == [topic.id]
    assert found[0].post.post_number == 2
    assert "<mark>checklist</mark>" in found[0].blurb


def test_excluded_words_and_or(forum):
    member = forum["member"]
    assert titles(member, "merger -phlebotomy ") == ["Practice merger due diligence"]
    assert set(titles(member, "redis OR phlebotomy ")) == {
        "Redis caching for the LMC website",
        "Phlebotomy tariffs across the region",
    }


def test_author_category_and_type_filters(forum):
    member = forum["member"]
    other = make_category("Wellbeing")
    make_topic(forum["alice"], other, title="Merger support for staff wellbeing", raw="Ideas?")
    assert set(titles(member, "merger @alice")) == {
        "Practice merger due diligence",
        "Merger support for staff wellbeing",
    }
    assert titles(member, "merger @bob") == ["Phlebotomy tariffs across the region"]
    assert titles(member, "merger #wellbeing") == ["Merger support for staff wellbeing"]
    assert titles(member, "@alice #contracts order:latest") == [
        "Practice merger due diligence",
        "Redis caching for the LMC website",
    ]
    assert titles(member, "merger type:post #wellbeing") == ["Merger support for staff wellbeing"]
    results = search(member, "merger @nobody")
    assert results.results == [] and "No member is called @nobody." in results.notices
    results = search(member, "merger type:nonsense")
    assert results.results == [] and "type:nonsense" in results.notices[0]


def test_subcategories_are_included_unless_asked_not_to(forum):
    parent = make_category("Nations")
    child = make_category("Wales", parent=parent)
    make_topic(forum["bob"], parent, title="Merger guidance for the four nations")
    make_topic(forum["bob"], child, title="Merger guidance in Wales only")
    member = forum["member"]
    assert set(titles(member, "guidance #nations")) == {
        "Merger guidance for the four nations",
        "Merger guidance in Wales only",
    }
    assert titles(member, "guidance #=nations") == ["Merger guidance for the four nations"]
    assert titles(member, "guidance #nations:wales") == ["Merger guidance in Wales only"]


def test_in_title_and_in_first(forum):
    member = forum["member"]
    # "practice merger" is in the phlebotomy topic's body, not its title.
    assert titles(member, "merger in:title") == ["Practice merger due diligence"]
    # An excluded word is excluded wherever it is, title or body, on both backends.
    assert titles(member, "merger in:title -merging") == []
    make_reply(forum["redis"].topic, raw="Is the merger affecting your website too?")
    assert "Redis caching for the LMC website" in titles(member, "merger")
    assert "Redis caching for the LMC website" not in titles(member, "merger in:first")
    assert "Redis caching for the LMC website" not in titles(member, "merger type:topic")


def test_dates_status_and_order(forum):
    member = forum["member"]
    old = forum["redirect"]
    long_ago = utcnow() - timedelta(days=400)
    db.session.execute(update(Post).where(Post.id == old.id).values(created_at=long_ago))
    db.session.commit()
    from forum import search as search_layer

    search_layer.changed("core.post", [old.id])
    db.session.commit()
    year_ago = (utcnow() - timedelta(days=365)).date().isoformat()
    assert titles(member, f"redirect before:{year_ago}") == ["Redirect the old SharePoint links"]
    assert titles(member, f"redirect after:{year_ago}") == []
    moderator = make_user(role="moderator")
    services.set_topic_flag(moderator, forum["merger"].topic, "closed", True)
    assert titles(member, "merger status:closed") == ["Practice merger due diligence"]
    assert titles(member, "merger status:open") == ["Phlebotomy tariffs across the region"]
    latest = titles(member, "merger order:latest")
    assert latest == ["Phlebotomy tariffs across the region", "Practice merger due diligence"]
    assert titles(member, "merger order:oldest") == list(reversed(latest))
    # Each topic is shown through its oldest matching post, on both backends.
    make_reply(forum["phlebotomy"].topic, raw="A late merger update.")
    oldest = search(member, "merger order:oldest").results
    assert [r.post.post_number for r in oldest] == [1, 1]
    newest = search(member, "merger order:latest").results
    assert newest[0].post.post_number == 2


def test_edits_deletes_restores_and_title_changes_are_reflected(forum):
    member, alice = forum["member"], forum["alice"]
    post = forum["merger"]
    services.edit_post(alice, post, raw="Now about the cervical screening audit instead.")
    assert titles(member, "cervical") == ["Practice merger due diligence"]
    assert titles(member, "merging ") == []
    reply = make_reply(post.topic, raw="Colposcopy waiting times are long here.")
    services.edit_post(alice, post, raw=post.raw, title="Cervical screening audit results")
    # The new title reaches every post of the topic, the reply included.
    found = search(member, "colposcopy").results
    assert [r.title for r in found] == ["Cervical screening audit results"]
    moderator = make_user(role="moderator")
    services.delete_post(moderator, db.session.get(Post, reply.id))
    assert titles(member, "colposcopy") == []
    services.restore_post(moderator, db.session.get(Post, reply.id))
    assert titles(member, "colposcopy") == ["Cervical screening audit results"]
    # Deleting the first post deletes the topic: its replies go too.
    services.delete_post(moderator, db.session.get(Post, post.id))
    assert titles(member, "colposcopy") == [] and titles(member, "cervical") == []


def hidden_category():
    return make_category("Officers lounge", permissions={"staff": SEE})


def test_moves_and_permission_changes_are_reflected(forum):
    member = forum["member"]
    lounge = hidden_category()
    moderator = make_user(role="moderator")
    topic = forum["phlebotomy"].topic
    services.move_topic(moderator, topic, lounge)
    assert titles(member, "phlebotomy") == []
    assert titles(moderator, "phlebotomy") == ["Phlebotomy tariffs across the region"]
    # Letting members see the lounge makes its topics findable, without re-indexing.
    db.session.add(CategoryPermission(category_id=lounge.id, group_id=group("members").id))
    db.session.commit()
    assert titles(member, "phlebotomy") == ["Phlebotomy tariffs across the region"]
    assert titles(AnonymousUser(), "phlebotomy") == []


def test_hidden_categories_never_fill_or_shorten_a_page(forum):
    lounge = hidden_category()
    staff = make_user(role="admin")
    for n in range(6):
        make_topic(staff, lounge, title=f"Confidential tariff negotiation {n}")
    for n in range(3):
        make_topic(forum["bob"], forum["public"], title=f"Public tariff discussion {n}")
    member = forum["member"]
    first = search(member, "tariff", per_page=2)
    second = search(member, "tariff", page=2, per_page=2)
    seen = [r.title for r in first.results + second.results]
    assert all("Confidential" not in t for t in seen)
    assert len(first.results) == 2 and first.more
    # Page 2 holds the rest of what the member may see: full where it can be, no more after.
    public = {"Phlebotomy tariffs across the region"} | {
        f"Public tariff discussion {n}" for n in range(3)
    }
    assert set(seen) == public and not second.more
    assert len(titles(staff, "confidential")) == 6


def test_similar_topics(forum):
    member = forum["member"]
    found = similar_topics(member, "Due diligence before a practice merger")
    assert found[0].topic.title == "Practice merger due diligence"
    assert len(found) <= 5
    lounge = hidden_category()
    make_topic(make_user(role="admin"), lounge, title="Due diligence for a confidential merger")
    assert "Due diligence for a confidential merger" not in [
        r.topic.title for r in similar_topics(member, "Due diligence merger")
    ]
    assert similar_topics(member, "the and of") == []


def test_suspended_authors_posts_still_found_and_deleted_topics_not(forum):
    topic = forum["redis"].topic
    db.session.execute(update(Topic).where(Topic.id == topic.id).values(deleted_at=utcnow()))
    db.session.commit()
    # The index has not been told; the results are checked against the database anyway.
    assert titles(forum["member"], "redis") == []
