"""Library items on posts: ``[[resource:slug]]`` attaches the item in the post's transaction
and leaves a link; the card's data (post JSON) follows the item as it is now; nobody attaches,
or sees, an item they may not see."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.attachments.models import PostAttachment
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.topics.models import Post
from plugins.resources import cards
from tests.api.conftest import api_headers
from tests.factories import make_category, make_reply, make_topic, make_user
from tests.resources.conftest import make_officer, make_resource


def attachments_of(post) -> list[int]:
    return list(
        db.session.scalars(
            select(PostAttachment.object_id).where(
                PostAttachment.post_id == post.id, PostAttachment.type_key == cards.KEY
            )
        )
    )


def test_a_reference_in_markdown_attaches_the_item_and_links_to_it(app):
    item = make_resource(title="Model partnership agreement")
    post = make_topic(raw=f"See [[resource:{item.slug}]] before you sign anything.")
    assert attachments_of(post) == [item.id]
    assert f'href="/resources/{item.slug}"' in post.cooked
    assert 'class="attachment-ref"' in post.cooked
    assert f"Library: {item.slug}" in post.cooked


def test_an_edit_adding_a_reference_attaches_it_too(app):
    from forum.topics import services as topics

    item = make_resource()
    author = make_user()
    post = make_topic(author)
    topics.edit_post(author, post, raw=f"Updated: [[resource:{item.slug}]] is the one to use.")
    assert attachments_of(post) == [item.id]


def test_a_reference_to_an_item_the_author_cannot_see_refuses_the_post(app):
    secret = make_resource(access_level="officers_staff")
    category = make_category()
    posts_before = db.session.scalar(select(func.count()).select_from(Post))
    with pytest.raises(ValidationFailed, match="no library item"):
        make_topic(make_user(), category, raw=f"What about [[resource:{secret.slug}]] then?")
    assert db.session.scalar(select(func.count()).select_from(Post)) == posts_before


def test_an_unknown_reference_refuses_the_post_with_a_message(app):
    with pytest.raises(ValidationFailed, match="'no-such-thing'"):
        make_topic(raw="Try [[resource:no-such-thing]] for the details.")


def test_post_json_carries_the_card_and_hides_it_from_those_who_may_not_see_it(app, client):
    officer = make_officer()
    item = make_resource(officer, access_level="officers_staff", title="Officers' levy paper")
    post = make_topic(officer, raw=f"For officers: [[resource:{item.slug}]] is attached.")
    body = client.get(f"/posts/{post.id}.json", headers=api_headers(officer)).get_json()
    [card] = body["resources"]
    assert card["slug"] == item.slug and card["type"] == cards.KEY
    assert card["superseded"] is False
    member = make_user()
    body = client.get(f"/posts/{post.id}.json", headers=api_headers(member)).get_json()
    assert "Officers' levy paper" not in str(body)


def test_the_card_says_when_an_item_has_been_superseded(app, client):
    officer = make_officer()
    old = make_resource(officer, title="Directions 2013")
    post = make_topic(officer, raw=f"The rules: [[resource:{old.slug}]] as things stand.")
    new = make_resource(officer, title="Directions 2024", supersedes=old.slug)
    reply = make_reply(post.topic, raw=f"Now [[resource:{new.slug}]] replaces it.")
    body = client.get(f"/posts/{post.id}.json", headers=api_headers(officer)).get_json()
    [card] = body["resources"]
    assert card["superseded"] is True and card["superseded_by"] == new.slug
    assert attachments_of(reply) == [new.id]


def test_the_picker_offers_current_items_the_user_may_see(app):
    officer = make_officer()
    visible = make_resource(officer, title="Visible one")
    make_resource(officer, title="Officers only", access_level="officers_staff")
    old = make_resource(officer, title="Old one")
    make_resource(officer, title="New one", supersedes=old.slug)
    choices = dict(cards.options(make_user(), None))
    assert visible.slug in choices and "Visible one (Model agreement)" == choices[visible.slug]
    assert old.slug not in choices
    assert not any("Officers only" in label for label in choices.values())
