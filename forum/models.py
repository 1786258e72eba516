"""Imports every core model module, so the metadata knows every core table."""

from forum.accounts import models as accounts_models  # noqa: F401 - registers tables
from forum.attachments import models as attachments_models  # noqa: F401 - registers tables
from forum.categories import models as categories_models  # noqa: F401 - registers tables
from forum.mail import models as mail_models  # noqa: F401 - registers tables
from forum.notifications import models as notifications_models  # noqa: F401 - registers tables
from forum.search import models as search_models  # noqa: F401 - registers tables
from forum.topics import models as topics_models  # noqa: F401 - registers tables
