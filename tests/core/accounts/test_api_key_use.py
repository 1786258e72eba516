from forum.accounts.models import ApiKey
from forum.accounts.services import create_api_key
from forum.extensions import db
from tests.factories import make_user


def test_using_a_key_records_when_it_was_last_used(client):
    user = make_user("scripter")
    api_key, key = create_api_key(user)
    assert api_key.last_used_at is None
    response = client.get("/latest.json", headers={"Api-Key": key, "Api-Username": "scripter"})
    assert response.status_code == 200
    first_use = db.session.get(ApiKey, api_key.id).last_used_at
    assert first_use is not None
    # Within a few minutes a second use does not write again.
    client.get("/latest.json", headers={"Api-Key": key, "Api-Username": "scripter"})
    db.session.expire_all()
    assert db.session.get(ApiKey, api_key.id).last_used_at == first_use


def test_signed_in_requests_record_last_seen(client, auth):
    user = make_user("reader")
    auth.login_as(user)
    assert user.last_seen_at is None
    client.get("/")
    db.session.expire_all()
    assert db.session.get(type(user), user.id).last_seen_at is not None
