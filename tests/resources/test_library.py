"""The library's list: counts kept for everyone with the same access until the next write,
never shared between people who see different things."""

from __future__ import annotations

from forum.accounts.models import AnonymousUser
from plugins.resources import access, library
from tests.core.accounts.helpers import QueryCounter
from tests.factories import make_user
from tests.resources.conftest import make_officer, make_resource


def browse(user, **args):
    access.forget()  # as a new request would
    return library.browse(user, library.parse(args), per_page=10)


def test_people_with_the_same_access_share_the_counts_until_a_write(app):
    officer = make_officer()
    make_resource(officer, topics=["premises"])
    first, second = make_user(), make_user()
    assert browse(first).total == 1
    with QueryCounter() as missed:
        page = browse(second, topic="premises")
    with QueryCounter() as hit:
        again = browse(first, topic="premises", sort="title")
    assert again.total == page.total == 1
    assert hit.count <= missed.count - 2  # not the two counting queries
    make_resource(officer, topics=["premises"])
    assert browse(first, topic="premises").total == 2


def test_counts_are_never_shared_with_someone_who_sees_less(app):
    officer = make_officer()
    make_resource(officer, access_level="officers_staff", source_org="Secret source")
    make_resource(officer, access_level="public")
    assert browse(officer).total == 2
    for viewer in (make_user(), AnonymousUser()):
        listing = browse(viewer)
        assert listing.total == 1
        sources = {value for facet in listing.facets for value, _label, _n in facet.values}
        assert "Secret source" not in sources


def test_a_contributors_own_draft_counts_only_for_them(app):
    officer = make_officer()
    make_resource(officer, status="draft")
    make_resource(officer)
    assert browse(officer).total == 2
    assert browse(make_officer()).total == 1
