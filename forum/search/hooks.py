"""The core's search document type (posts), registered like any plugin's."""

from __future__ import annotations

from forum.hookspecs import hookimpl
from forum.hooktypes import SearchType
from forum.search.documents import POST_KIND, all_post_ids, post_documents


@hookimpl
def register_search_types():
    return [
        SearchType(
            key=POST_KIND,
            name="post",
            label="Posts",
            load=post_documents,
            all_ids=all_post_ids,
        )
    ]
