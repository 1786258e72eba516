"""Lists on the profile and admin pages run a fixed number of queries, however long they are
(no query per row)."""

import pytest

from forum.accounts import services
from forum.accounts.models import Organisation
from forum.extensions import db
from tests.core.accounts.helpers import QueryCounter
from tests.factories import add_member, make_category, make_reply, make_topic, make_user


def _measure(client, path) -> tuple[int, str]:
    """Queries run by one request, and its body. Requests run in a fresh app context so
    nothing cached on ``g`` by earlier requests (category permissions, say) hides work."""
    app = client.application
    db.session.commit()  # in-memory SQLite has one connection: end the test's transaction
    with app.app_context():
        client.get(path)  # warm-up: a first request may run one-off queries
    with app.app_context(), QueryCounter() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


def _grow(n, admin):
    """Add ``n`` of every kind of row the lists show; returns the new group."""
    org = Organisation(name=f"Org {n}", nation="England", region="London")
    db.session.add(org)
    db.session.commit()
    category = make_category(f"Busy {n}")
    author = services.find_user("author")
    for i in range(n):
        user = make_user(f"u{n}x{i}", organisation_id=org.id)
        add_member(user, f"group{n}")
        services.create_api_key(user, description=f"key {n}-{i}", created_by=admin)
        services.create_invite(admin, email=f"x{n}-{i}@example.org")
        topic = make_topic(author, category, title=f"Topic number {n}-{i} about contracts").topic
        make_reply(topic, author)
        make_category(f"Extra {n}-{i}")
    return services.find_group(f"group{n}")


@pytest.mark.parametrize(
    "path, marker",
    [
        ("/u/author", "Topic number 8-7"),
        ("/admin/users", "@u8x7"),
        ("/admin/groups", "group8"),
        ("/admin/groups/{group}", "@u8x7"),
        ("/admin/categories", "Extra 8-7"),
        ("/admin/api-keys", "key 8-7"),
        ("/admin/invites", "x8-7@example.org"),
        ("/admin/", "active members"),  # 19 of them by then
    ],
)
def test_fixed_number_of_queries(app, admin_client, admin, path, marker):
    make_user("author")
    small = _grow(2, admin)
    before, _ = _measure(admin_client, path.format(group=small.id))
    big = _grow(8, admin)
    after, body = _measure(admin_client, path.format(group=big.id))
    assert marker in body  # the longer list really is on the page
    assert after == before
