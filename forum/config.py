"""Configuration defaults.

Settings are read in this order, later ones winning: :class:`DefaultConfig`, the instance
folder's ``forum.cfg``, ``FORUM_*`` environment variables (``FORUM_DATA_DIR`` sets
``DATA_DIR``; values are parsed as JSON where they can be), then the mapping given to
``create_app`` (tests). ``DATABASE_URL`` in the environment selects the database.
"""

from __future__ import annotations


class DefaultConfig:
    #: Folder for everything the forum writes (SQLite file, search index, uploads).
    #: ``None`` means the Flask instance folder.
    DATA_DIR: str | None = None
    #: ``None`` means SQLite in ``DATA_DIR``; ``DATABASE_URL`` in the environment overrides.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: Generated once and kept in ``DATA_DIR/secret_key`` when not configured.
    SECRET_KEY: str | None = None

    #: Plugin modules to load (``FORUM_PLUGINS='["plugins.sla"]'``), after the core's own.
    PLUGINS: list = []
    #: Also load out-of-tree plugins installed with a ``forum.plugins`` entry point.
    LOAD_ENTRY_POINTS = True

    SITE_NAME = "LMC Hub"
    SITE_DESCRIPTION = "The LMC Support Network's place to talk, search and share."

    # Content limits (Discourse's defaults).
    MIN_TITLE_LENGTH = 15
    MAX_TITLE_LENGTH = 255
    MAX_POST_LENGTH = 32_000
    DUPLICATE_POST_WINDOW_SECONDS = 300
    POSTS_PER_PAGE = 20
    TOPICS_PER_PAGE = 30

    # Sessions and sign-in.
    SESSION_COOKIE_NAME = "lmchub_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    #: Absolute lifetime of a signed-in session, in seconds (Discourse: 60 days).
    SESSION_MAX_AGE_SECONDS = 60 * 24 * 3600
    MIN_PASSWORD_LENGTH = 10
    #: Werkzeug's hashing method; tests use a cheap one.
    PASSWORD_HASH_METHOD = "scrypt"
    #: Failed sign-ins allowed per IP address before answering 429.
    LOGIN_FAILURE_LIMIT = "6 per minute;30 per hour"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True

    #: Invite links stay valid this many days.
    INVITE_DAYS = 14

    # Forms: CSRF is checked in a before_request hook, not by Flask-WTF's default, because
    # requests authenticated by API key are exempt (a browser never sends that header).
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None

    # Process-local caches (see forum/content_version.py and forum/page_cache.py).
    #: Longest a cached page or permission table is served, in seconds (0 turns caches off).
    CACHE_MAX_AGE_SECONDS = 60
    #: Pages kept per worker process for visitors who are not signed in.
    PAGE_CACHE_ENTRIES = 2000
    #: Topic views are counted in memory and written at most this often, in seconds.
    VIEW_FLUSH_SECONDS = 10

    # Search (forum/search/).
    #: ``"whoosh"`` (an index in ``DATA_DIR/search``) or ``"postgres"`` (full-text search in
    #: the PostgreSQL database, for several app servers without a shared disk).
    SEARCH_BACKEND = "whoosh"
    #: Longer queries are cut to this many characters (and say so).
    SEARCH_MAX_QUERY_LENGTH = 200
    #: Results on a page of ``/search`` (``/search.json`` serves 50, as Discourse does).
    SEARCH_PER_PAGE = 20
    #: Searches allowed per IP address for visitors who are not signed in (Discourse's).
    SEARCH_VISITOR_RATE_LIMIT = "2 per second;15 per minute"

    # Notifications and e-mail (forum/notifications/, forum/mail/).
    #: The site's address, for links in e-mail (sent by a command, outside any request).
    BASE_URL = "http://127.0.0.1:5000"
    #: Notifications shown per page of ``/notifications``.
    NOTIFICATIONS_PER_PAGE = 30
    #: Topics started at most this many days ago (and after the person joined) can be "new".
    NEW_TOPIC_DAYS = 14
    MAIL_FROM = "LMC Hub <noreply@lmchub.localhost>"
    MAIL_SMTP_HOST = "127.0.0.1"
    MAIL_SMTP_PORT = 25
    MAIL_SMTP_USERNAME: str | None = None
    MAIL_SMTP_PASSWORD: str | None = None
    #: ``"starttls"``, ``"ssl"`` or ``None`` (plain, e.g. a local relay).
    MAIL_SMTP_SECURITY: str | None = None
    MAIL_SMTP_TIMEOUT_SECONDS = 10
    #: Messages composed and sent per batch (one SMTP connection each).
    MAIL_BATCH_SIZE = 100
    #: Attempts before a message is marked failed; the wait doubles from the base each time.
    MAIL_MAX_ATTEMPTS = 6
    MAIL_RETRY_BASE_SECONDS = 60
    #: Mention, reply and quote e-mails wait this long, so a quick edit is included and a
    #: notification read on the site meanwhile is not mailed.
    MAIL_PERSONAL_DELAY_SECONDS = 120
    #: Reply-by-e-mail address; ``{key}`` is replaced by the reader's key for the topic.
    #: ``None`` turns reply by e-mail off.
    MAIL_REPLY_ADDRESS: str | None = "reply+{key}@lmchub.localhost"
    #: Largest incoming message ``flask forum mail receive`` accepts, in bytes.
    MAIL_INCOMING_MAX_BYTES = 5 * 1024 * 1024

    #: Largest request body accepted, in bytes.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    #: Whether ``Content-Security-Policy`` etc. are sent (always, outside of odd deployments).
    SECURITY_HEADERS = True
