"""Where people meet search: the header box, ``/search``, ``/search.json`` in Discourse's
shape, ``/topics/similar_to``; odd input never gives a 500; hidden content never leaks."""

from __future__ import annotations

import pytest

from forum.categories.models import SEE
from tests.conftest import AuthActions
from tests.factories import make_category, make_reply, make_topic, make_user

SECRET = "Confidential negotiation notes about the phlebotomy tariff"


@pytest.fixture
def site(search_app):
    public = make_category("Contracts")
    lounge = make_category("Officers lounge", permissions={"staff": SEE})
    alice = make_user("alice")
    post = make_topic(
        alice,
        public,
        title="Phlebotomy tariff uplift for 2025",
        raw="Our ICB offered a **phlebotomy** uplift of 4%.",
    )
    make_reply(post.topic, raw="We got 5% for phlebotomy after pushing back.")
    make_topic(make_user(role="admin"), lounge, title=SECRET, raw="Phlebotomy bottom line: 7%.")
    return {"public": public, "lounge": lounge, "alice": alice, "post": post}


def test_every_page_has_a_search_box(search_client, site):
    html = search_client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'action="/search"' in html


def test_search_page_empty_state_and_results(search_client, site):
    empty = search_client.get("/search")
    assert empty.status_code == 200
    assert "practice merger" in empty.get_data(as_text=True)  # the tips
    page = search_client.get("/search?q=phlebotomy")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Phlebotomy tariff uplift for 2025" in html
    assert "<mark>phlebotomy</mark>" in html
    assert html.count('class="search-result"') == 1  # one result per topic
    assert SECRET not in html and "bottom line" not in html
    # Facets are links that add a filter to the query.
    assert "q=phlebotomy+%23contracts" in html and "q=phlebotomy+type%3Atopic" in html
    assert "officers-lounge" not in html


def test_search_page_messages(search_client, site):
    html = search_client.get("/search?q=%2A%2A").get_data(as_text=True)
    assert "Nothing to search for" in html
    html = search_client.get("/search?q=zzyzx").get_data(as_text=True)
    assert "No results for" in html
    html = search_client.get("/search?q=phlebotomy+before%3Asoon").get_data(as_text=True)
    assert "before: wants a date" in html and "Phlebotomy tariff uplift" in html


def test_staff_find_the_lounge(search_client, site):
    AuthActions(search_client).login_as(make_user(role="admin"))
    html = search_client.get("/search?q=phlebotomy").get_data(as_text=True)
    assert SECRET in html


def test_search_json_in_discourse_shape(search_client, site):
    response = search_client.get("/search.json?q=phlebotomy")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) >= {"posts", "topics", "users", "categories", "grouped_search_result"}
    (post,) = data["posts"]
    (topic,) = data["topics"]
    assert post["topic_id"] == topic["id"] == site["post"].topic_id
    assert post["username"] == "alice" and post["post_number"] == 1
    assert "<mark>phlebotomy</mark>" in post["blurb"] and "cooked" not in post
    assert topic["title"] == "Phlebotomy tariff uplift for 2025" and topic["slug"]
    grouped = data["grouped_search_result"]
    assert grouped["post_ids"] == [post["id"]]
    assert grouped["more_full_page_results"] is None and grouped["error"] is None
    assert grouped["term"] == "phlebotomy"
    assert SECRET not in response.get_data(as_text=True)


def test_search_json_pages(search_client, search_app, site):
    user = make_user()
    for n in range(55):
        make_topic(user, site["public"], title=f"Dressings formulary question {n}")
    first = search_client.get("/search.json?q=formulary").get_json()
    assert len(first["posts"]) == 50
    assert first["grouped_search_result"]["more_full_page_results"] is True
    second = search_client.get("/search.json?q=formulary&page=2").get_json()
    assert len(second["posts"]) == 5
    assert not {p["id"] for p in first["posts"]} & {p["id"] for p in second["posts"]}


@pytest.mark.parametrize(
    "query",
    ["", "q=", "q=%2A", "q=AND+OR+NOT", "q=x&page=0", "q=x&page=11", "q=x&page=abc", "q[a]=x"],
)
def test_search_json_refuses_what_it_cannot_search(search_client, site, query):
    response = search_client.get(f"/search.json?{query}")
    assert response.status_code == 400
    assert response.get_json()["error_type"] == "invalid_parameters"


ODD = [
    '"unbalanced',
    "((brackets",
    "AND OR NOT",
    "*",
    "colour:blue",
    "phlebotomy~2^3",
    "x" * 10_000,
    "phlebotomy " * 1000,
    "nul\x00byte",
    "🎉 phlebotomy 🎉",
    "مرحبا phlebotomy",
    "\u202ephlebotomy",
    "before:2025-99-99 after:0000 status:x order:? type:? in:? @? #?",
    "#officers-lounge phlebotomy",
    "@ALICE phlebotomy",
    "'; DROP TABLE posts; --",
    "<script>alert(1)</script>",
    "%s %(x)s {0} {{ 7*7 }}",
    "\\",
    ":*",
    "!!phlebotomy",
    "phlebotomy & | ! ( ) : * '",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_input_never_breaks_a_search(search_client, site, text):
    page = search_client.get("/search", query_string={"q": text})
    html = page.get_data(as_text=True)
    if "\x00" in text:  # refused before any view runs (forum/request_checks.py), and said so
        assert page.status_code == 400 and "contains a NUL byte" in html
    else:
        assert page.status_code == 200, text
    assert "<script>alert(1)</script>" not in html
    assert SECRET not in html
    api = search_client.get("/search.json", query_string={"q": text})
    assert api.status_code in (200, 400), text
    assert SECRET not in api.get_data(as_text=True)
    similar = search_client.get("/topics/similar_to", query_string={"title": text, "raw": text})
    assert similar.status_code in (200, 400)
    assert SECRET not in similar.get_data(as_text=True)


def test_a_hidden_category_filter_looks_like_an_unknown_one(search_client, site):
    hidden = search_client.get("/search.json?q=phlebotomy+%23officers-lounge").get_json()
    unknown = search_client.get("/search.json?q=phlebotomy+%23no-such-category").get_json()
    assert hidden["posts"] == unknown["posts"] == []
    assert hidden["grouped_search_result"]["notices"] == ["No category matches #officers-lounge."]


def test_similar_to(search_client, site):
    response = search_client.get(
        "/topics/similar_to", query_string={"title": "Phlebotomy tariff", "raw": "uplift"}
    )
    data = response.get_json()
    assert [t["topic"]["title"] for t in data["similar_topics"]] == [
        "Phlebotomy tariff uplift for 2025"
    ]
    assert data["similar_topics"][0]["url"].startswith("/t/")
    assert search_client.get("/topics/similar_to").get_json() == {"similar_topics": []}
    assert search_client.get("/topics/similar_to?title[x]=1").status_code == 400


def test_visitors_are_rate_limited_members_are_not(search_client, search_app, site):
    search_app.config["SEARCH_VISITOR_RATE_LIMIT"] = "3 per minute"
    codes = [search_client.get("/search.json?q=phlebotomy").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert search_client.get("/search?q=phlebotomy").status_code == 429
    AuthActions(search_client).login_as(make_user())
    assert search_client.get("/search.json?q=phlebotomy").status_code == 200
