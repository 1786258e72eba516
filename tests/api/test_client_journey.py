"""An end-to-end run as a third-party Discourse client would do it: HTTP only, form bodies
for writes sent without ``.json``, strict about content type and redirects, raising on any
error status. The only set-up outside HTTP is what an admin does once: an account and a key."""

from __future__ import annotations

from forum.accounts.services import create_api_key
from tests.factories import make_category, make_user

CONTENT_TYPE = "application/json; charset=utf-8"


class ClientError(Exception):
    """What client libraries raise on a 4xx (and a 5xx), carrying Discourse's ``errors``."""


class DiscourseClient:
    """The calls and checks of a typical Discourse API wrapper (pydiscourse style)."""

    def __init__(self, http, api_username: str, api_key: str):
        self.http = http
        self.headers = {"Api-Username": api_username, "Api-Key": api_key}

    def _request(self, method: str, path: str, **kwargs):
        response = self.http.open(
            path, method=method, headers=self.headers, follow_redirects=False, **kwargs
        )
        if 300 <= response.status_code < 400:
            raise ClientError(f"unexpected redirect to {response.headers.get('Location')}")
        # Strict clients compare the whole header, and read it as a dict key.
        if response.headers["content-type"] != CONTENT_TYPE:
            raise ClientError(f"bad content type {response.headers['content-type']!r}")
        body = response.get_json()
        if response.status_code >= 400:
            raise ClientError(response.status_code, body["errors"], body.get("error_type"))
        if isinstance(body, dict) and body.get("errors"):
            raise ClientError(body["errors"])
        return body

    def categories(self, **params):
        return self._request("GET", "/categories.json", query_string=params)["category_list"][
            "categories"
        ]

    def create_post(self, content: str, **kwargs):
        return self._request("POST", "/posts", data={"raw": content, **kwargs})

    def topic(self, slug: str, topic_id: int):
        return self._request("GET", f"/t/{slug}/{topic_id}.json")

    def topic_posts(self, topic_id: int, post_ids):
        return self._request(
            "GET", f"/t/{topic_id}/posts.json", query_string={"post_ids[]": post_ids}
        )

    def post_by_id(self, post_id: int):
        return self._request("GET", f"/posts/{post_id}.json")

    def update_post(self, post_id: int, content: str, edit_reason: str = ""):
        return self._request(
            "PUT",
            f"/posts/{post_id}",
            data={"post[raw]": content, "post[edit_reason]": edit_reason},
        )

    def latest_topics(self, **params):
        return self._request("GET", "/latest.json", query_string=params)

    def user(self, username: str):
        return self._request("GET", f"/users/{username}.json")["user"]


def test_third_party_client_journey(app, client):
    officer = make_user("jsmith", name="Jo Smith")
    make_user("rpatel", name="Ravi Patel")
    category = make_category(
        "Contracts and funding", description="GMS, PMS and local enhanced services."
    )
    _, key = create_api_key(officer)
    api = DiscourseClient(client, "jsmith", key)

    # 1. List categories and pick one by slug.
    categories = api.categories()
    chosen = next(c for c in categories if c["slug"] == "contracts-and-funding")
    assert chosen["id"] == category.id
    assert chosen["description_text"] == "GMS, PMS and local enhanced services."

    # 2. Create a topic in it.
    created = api.create_post(
        "Has anyone agreed the **phlebotomy** uplift with their ICB yet?",
        title="Phlebotomy LCS uplift for 2025/26",
        category=chosen["id"],
    )
    topic_id, slug = created["topic_id"], created["topic_slug"]
    assert created["post_number"] == 1

    # 3. Reply to post 1 (and a second reply to that reply).
    reply = api.create_post(
        "Ours settled at 3% from April.", topic_id=topic_id, reply_to_post_number=1
    )
    assert reply["post_number"] == 2 and reply["reply_to_post_number"] == 1
    follow_up = api.create_post(
        "Was that backdated?", topic_id=topic_id, reply_to_post_number=reply["post_number"]
    )

    # 4. Read the topic; fetch the rest of the stream by id as clients page.
    topic = api.topic(slug, topic_id)
    assert topic["title"] == "Phlebotomy LCS uplift for 2025/26"
    assert topic["category_id"] == category.id and topic["posts_count"] == 3
    assert topic["details"]["created_by"]["username"] == "jsmith"
    posts = topic["post_stream"]["posts"]
    assert [p["post_number"] for p in posts] == [1, 2, 3]
    assert posts[1]["reply_to_post_number"] == 1
    assert posts[2]["reply_to_post_number"] == 2
    assert posts[0]["cooked"] == (
        "<p>Has anyone agreed the <strong>phlebotomy</strong> uplift with their ICB yet?</p>"
    )
    stream = topic["post_stream"]["stream"]
    assert stream == [created["id"], reply["id"], follow_up["id"]]
    fetched = api.topic_posts(topic_id, stream[1:])
    assert [p["id"] for p in fetched["post_stream"]["posts"]] == stream[1:]

    # 5. Read a single post with its cooked HTML and raw.
    single = api.post_by_id(reply["id"])
    assert single["raw"] == "Ours settled at 3% from April."
    assert single["cooked"] == "<p>Ours settled at 3% from April.</p>"
    assert single["reply_count"] == 1

    # 6. Edit the reply.
    edited = api.update_post(reply["id"], "Ours settled at 3.5% from April.", "wrong figure")
    assert edited["post"]["version"] == 2
    assert edited["post"]["cooked"] == "<p>Ours settled at 3.5% from April.</p>"
    assert api.post_by_id(reply["id"])["raw"] == "Ours settled at 3.5% from April."

    # 7. List latest topics; the poster appears in users[].
    latest = api.latest_topics()
    listed = latest["topic_list"]["topics"][0]
    assert listed["id"] == topic_id and listed["posts_count"] == 3
    user_ids = {u["id"] for u in latest["users"]}
    assert all(p["user_id"] in user_ids for p in listed["posters"])

    # 8. Look up a user.
    user = api.user("rpatel")
    assert user["name"] == "Ravi Patel" and user["username"] == "rpatel"

    # 9. Errors come back in Discourse's shape, as client errors.
    for call, status, error_type in (
        (lambda: api.create_post("", topic_id=topic_id), 400, None),
        (lambda: api.create_post("Short title", title="Too short"), 422, None),
        (lambda: api.topic("nope", 99999), 404, "not_found"),
        (lambda: api.user("nobody-here"), 404, "not_found"),
    ):
        try:
            call()
        except ClientError as error:
            assert error.args[0] == status and error.args[2] == error_type
            assert error.args[1]
        else:  # pragma: no cover - the assertion message is the point
            raise AssertionError("expected a client error")
