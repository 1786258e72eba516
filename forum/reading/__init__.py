"""Per-user reading state, Discourse style: how far each person has read each topic, and the
"New" and "Unread" lists built on it.

* :mod:`forum.reading.rules` — the SQL pieces every list shares: a topic's effective
  notification level for one person, and what "new" and "unread" mean (read that module's
  docstring for the exact rules).
* :mod:`forum.reading.queries` — the read side: the New and Unread lists, their counts, and
  each listed topic's reading state for the topic lists (one query for a whole list).
* :mod:`forum.reading.marks` — the writes: recording a read, "Dismiss new" and "Mark all
  read", each one statement.
* :mod:`forum.reading.pixel` — the signed token of the ``<noscript>`` read pixel.
* :mod:`forum.reading.views` — the HTML pages (``/new``, ``/unread``, the dismiss forms and
  the pixel) and the template globals the topic page uses.
* :mod:`forum.reading.api` — the JSON endpoints (``POST /topics/timings``, ``/new.json``,
  ``/unread.json``, ``PUT /topics/bulk``, ``PUT /topics/reset-new``), added to the API
  blueprint so they answer in its error dialect.

Only two things write reading state: the topic page's script (``POST /topics/timings``) and,
without scripts, its read pixel. Showing a page writes nothing.
"""
