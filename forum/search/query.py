"""Search queries: whatever someone typed, parsed into words, phrases and Discourse's filters.

Every input is a valid query. Words are runs of letters and digits (anything else separates
them), so unbalanced quotes and brackets, ``*``, ``~``, ``^``, NUL bytes and emoji never reach
a backend's own parser; a query with no word and no filter is :attr:`Query.empty`, which the
pages answer with "nothing to search for". Both backends receive the same :class:`Query`.

* ``word`` matches the word and its English forms (Porter2 stemming, as PostgreSQL's
  ``english`` configuration); the last word typed also matches as a prefix of the *unstemmed*
  word, so "redis" finds "redisson" but never "redirect" (Discourse's complaint).
* ``"quoted phrase"``, ``-word`` / ``NOT word`` (excluded), ``a OR b``.
* ``@username``, ``#category`` (``#parent:child``, ``#=slug`` without subcategories),
  ``in:title``, ``in:first``, ``before:`` / ``after:`` (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``,
  a number of days, ``yesterday``), ``status:open|closed|archived``,
  ``order:latest|oldest|relevance``, ``type:<name>``. A ``field:value`` that is no filter is
  searched as its words.
* Synonyms (the ``search_synonyms`` hook) turn a word or phrase into "any of the group".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter2 import stem as _porter2

#: Words as the Whoosh tokenizer sees them: "nhs.uk" and "1.5" stay one word.
WORD_RE = re.compile(r"\w+(?:\.?\w+)*")
CHUNK_RE = re.compile(r'-?"[^"]*"?|\S+')
#: Whoosh's stop words and PostgreSQL's ``english`` ones: both backends drop the same words
#: (a query of only these is "nothing to search for" on either).
POSTGRES_STOPWORDS = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what which "
    "who whom this that these those am is are was were be been being have has had having do "
    "does did doing a an the and but if or because as until while of at by for with about "
    "against between into through during before after above below to from up down in out on "
    "off over under again further then once here there when where why how all any both each "
    "few more most other some such no nor not only own same so than too very s t can will "
    "just don should now"
).split()
STOPWORDS = frozenset(STOP_WORDS) | frozenset(POSTGRES_STOPWORDS)
#: Shorter words are not indexed.
MIN_WORD_LENGTH = 2
#: The prefix of the last word is tried from this many characters.
MIN_PREFIX_LENGTH = 3
#: More words than this are dropped (with a notice): each one is a clause of the query.
MAX_CLAUSES = 16
ORDERS = {"latest": "latest", "l": "latest", "oldest": "oldest", "relevance": "relevance"}
STATUSES = ("open", "closed", "archived")
NOTHING_TO_SEARCH = (
    "Nothing to search for: type at least one word of two or more letters or digits, "
    "or a filter such as @username or #category."
)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Porter2 (Snowball English) stem of a lower-case word."""
    return _porter2(word)


def words_of(text: str) -> list[str]:
    """The lower-case words of ``text``, in order (stop words included)."""
    return [w.lower() for w in WORD_RE.findall(text)]


def normalise_title(text: str) -> str:
    """A title's words, lower case, one space apart (exact title matches rank first)."""
    return " ".join(words_of(text))


def significant(words) -> list[str]:
    return [w for w in words if len(w) >= MIN_WORD_LENGTH and w not in STOPWORDS]


@dataclass(frozen=True)
class Word:
    text: str
    #: Also match words that start with ``text`` (the last word typed).
    prefix: bool = False

    def partial_stems(self) -> list[str]:
        """For a prefix, the stems it may be a partly typed form of: "mergi" is on its way
        to "merging", indexed as "merg". At most 3 letters are taken off, and never below 4
        letters, so "redis" never becomes "red"."""
        if not self.prefix:
            return []
        return [self.text[:k] for k in range(max(4, len(self.text) - 3), len(self.text))]


@dataclass(frozen=True)
class Phrase:
    #: Lower-case words, stop words included (each backend drops what it does not index).
    words: tuple[str, ...]


Term = Word | Phrase


@dataclass
class Clause:
    """Matches when any of its alternatives does (a word, its synonyms, ``a OR b``)."""

    alternatives: list[Term]


@dataclass
class Query:
    text: str
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    usernames: list[str] = field(default_factory=list)
    #: ``(slug or "parent:child", include subcategories)``.
    categories: list[tuple[str, bool]] = field(default_factory=list)
    type_names: list[str] = field(default_factory=list)
    in_title: bool = False
    in_first: bool = False
    before: date | None = None
    after: date | None = None
    statuses: list[str] = field(default_factory=list)
    order: str = "relevance"
    #: The free text's words as typed (stop words included), for the exact-title ranking.
    typed_words: list[str] = field(default_factory=list)
    #: Clauses are alternatives rather than all required ("similar topics").
    any_clause: bool = False
    #: Things said about the query ("before: wants a date..."), shown above the results.
    notices: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.usernames
            or self.categories
            or self.type_names
            or self.in_title
            or self.in_first
            or self.before
            or self.after
            or self.statuses
        )

    @property
    def empty(self) -> bool:
        """Nothing to search for: no word and no filter."""
        return not self.clauses and not self.has_filters

    @property
    def exact_title(self) -> str:
        """The free text as a normalised title, for ranking an exact title match first."""
        return " ".join(self.typed_words)

    def highlight_terms(self) -> tuple[set[str], set[str]]:
        """``(stems, prefixes)`` of every word the results may contain, for snippets."""
        stems, prefixes = set(), set()
        for clause in self.clauses:
            for term in clause.alternatives:
                if isinstance(term, Phrase):
                    stems.update(stem(w) for w in significant(term.words))
                else:
                    stems.add(stem(term.text))
                    if term.prefix:
                        prefixes.add(term.text)
        return stems, prefixes


def clean(text) -> str:
    """Text with control and format characters (NUL, bidi overrides) turned into spaces."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in text)


def parse_date(value: str, today: date) -> date | None:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, a number of days back, or ``yesterday``."""
    value = value.lower()
    if value == "yesterday":
        return today - timedelta(days=1)
    if value == "today":
        return today
    if value.isdigit() and len(value) != 4:
        days = int(value)
        return today - timedelta(days=days) if days <= 36_500 else None
    for pattern in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            parsed = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        return parsed if parsed.year >= 1900 else None
    return None


FILTER_RE = re.compile(
    r"""^(?:
      @(?P<user>[\w.\-]{1,60})
    | user:(?P<user2>[\w.\-]{1,60})
    | \#(?P<exact>=?)(?P<category>[\w\-]{1,50}(?::[\w\-]{1,50})?)
    | (?:category|categories):(?P<category2>[\w\-]{1,50})
    | in:(?P<in>\w+)
    | (?P<datekind>before|after):(?P<date>\S+)
    | status:(?P<status>\w+)
    | order:(?P<order>\w+)
    | type:(?P<type>\w+)
    )$""",
    re.VERBOSE | re.IGNORECASE,
)


class Parser:
    """Parses queries with one site's synonyms; build it once per app."""

    def __init__(self, synonyms=(), max_length: int = 200):
        self.max_length = max_length
        #: ``{first stem: [(stems of a member, index of its group)]}``, longest first.
        self._synonym_starts: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self._groups: list[list[Term]] = []
        for index, group in enumerate(synonyms):
            terms = []
            for member in group:
                words = tuple(words_of(member))
                if not words:
                    continue
                terms.append(Word(words[0]) if len(words) == 1 else Phrase(words))
                stems = tuple(stem(w) for w in significant(words))
                if stems:
                    self._synonym_starts.setdefault(stems[0], []).append((stems, index))
            self._groups.append(terms)
        for candidates in self._synonym_starts.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def parse(self, text, *, today: date | None = None) -> Query:
        text = clean(text)
        query = Query(text="")
        if len(text) > self.max_length:
            text = text[: self.max_length]
            query.notices.append(f"Only the first {self.max_length} characters were searched.")
        query.text = " ".join(text.split())
        today = today or date.today()
        pending_or = negate_next = False
        last_was_bare_word = False
        for match in CHUNK_RE.finditer(text):
            chunk = match.group()
            last_was_bare_word = False
            if chunk in ("OR", "AND", "NOT"):
                pending_or, negate_next = chunk == "OR", chunk == "NOT"
                continue
            negate = negate_next or (chunk.startswith("-") and len(chunk) > 1)
            negate_next = False
            body = chunk[1:] if chunk.startswith("-") else chunk
            if body.startswith('"'):
                terms = self._phrase(body.strip('"'))
            elif found := FILTER_RE.match(body):
                if negate or pending_or:
                    query.notices.append(
                        f"{chunk[:60]}: filters cannot be negated or joined with OR; "
                        "it was ignored."
                    )
                else:
                    self._filter(found, query, today)
                pending_or = False
                continue
            else:
                terms = [Word(w) for w in significant(words_of(body))]
                last_was_bare_word = bool(terms) and not negate
            if not negate:
                query.typed_words.extend(words_of(body))
            if negate:
                query.excluded.extend(terms)
            elif pending_or and query.clauses and terms:
                query.clauses[-1].alternatives.append(terms[0])
                query.clauses.extend(Clause([t]) for t in terms[1:])
            else:
                query.clauses.extend(Clause([t]) for t in terms)
            pending_or = False
        if last_was_bare_word and text and not text[-1].isspace():
            last = query.clauses[-1].alternatives[-1]
            if isinstance(last, Word) and len(last.text) >= MIN_PREFIX_LENGTH:
                query.clauses[-1].alternatives[-1] = Word(last.text, prefix=True)
        query.clauses = self._expand_synonyms(query.clauses)
        if len(query.clauses) > MAX_CLAUSES:
            query.clauses = query.clauses[:MAX_CLAUSES]
            query.notices.append(f"Only the first {MAX_CLAUSES} words were searched.")
        return query

    def similar(self, title, raw="") -> Query:
        """A query for topics like a new one: any of the title's words (and the first words
        of its body), ranked by how many match."""
        words = significant(words_of(clean(title)))[:MAX_CLAUSES]
        words += significant(words_of(clean(raw)[:2000]))[: max(0, 8 - len(words) // 2)]
        unique = list(dict.fromkeys(words))[:MAX_CLAUSES]
        query = Query(text=normalise_title(clean(title)), any_clause=True, in_first=True)
        query.clauses = [Clause([Word(w)]) for w in unique]
        return query

    @staticmethod
    def _phrase(inner: str) -> list[Term]:
        words = tuple(words_of(inner))
        if not significant(words):
            return []
        if len(words) == 1:
            return [Word(words[0])]
        return [Phrase(words)]

    @staticmethod
    def _filter(match: re.Match, query: Query, today: date) -> None:
        """Apply a filter token (a :data:`FILTER_RE` match) to ``query``."""
        found = match.groupdict()
        if found["user"] or found["user2"]:
            query.usernames.append((found["user"] or found["user2"]).lower())
        elif found["category"] or found["category2"]:
            slug = (found["category"] or found["category2"]).lower()
            query.categories.append((slug, not found["exact"]))
        elif found["in"]:
            where = found["in"].lower()
            if where in ("title", "t"):
                query.in_title = True
            elif where in ("first", "f"):
                query.in_first = True
            else:
                query.notices.append(f"in:{where} is not supported here; it was ignored.")
        elif found["datekind"]:
            when = parse_date(found["date"], today)
            kind = found["datekind"].lower()
            if when is None:
                query.notices.append(
                    f"{kind}: wants a date such as 2025-03-31, 2025-03, 2025 or a number of "
                    f"days; {found['date'][:40]!r} was ignored."
                )
            else:
                setattr(query, kind, when)
        elif found["status"]:
            status = found["status"].lower()
            if status in STATUSES:
                query.statuses.append(status)
            else:
                query.notices.append(
                    f"status: wants open, closed or archived; {status[:40]!r} was ignored."
                )
        elif found["order"]:
            order = ORDERS.get(found["order"].lower())
            if order is None:
                query.notices.append("order: wants latest, oldest or relevance; it was ignored.")
            else:
                query.order = order
        elif found["type"]:
            query.type_names.append(found["type"].lower())

    def _expand_synonyms(self, clauses: list[Clause]) -> list[Clause]:
        if not self._synonym_starts:
            return clauses
        keys = [self._clause_stems(c) for c in clauses]
        out: list[Clause] = []
        i = 0
        while i < len(clauses):
            replaced = False
            first = keys[i][0] if keys[i] else None
            for stems, group in self._synonym_starts.get(first, ()):
                span = self._match(keys, i, stems)
                if span:
                    alternatives = list(self._groups[group])
                    for clause in clauses[i : i + span]:  # keep "a OR b" alternatives
                        alternatives.extend(t for t in clause.alternatives[1:])
                    out.append(Clause(alternatives))
                    i += span
                    replaced = True
                    break
            if not replaced:
                out.append(clauses[i])
                i += 1
        return out

    @staticmethod
    def _clause_stems(clause: Clause) -> tuple[str, ...]:
        term = clause.alternatives[0]
        if isinstance(term, Phrase):
            return tuple(stem(w) for w in significant(term.words))
        return (stem(term.text),)

    @staticmethod
    def _match(keys: list[tuple[str, ...]], i: int, stems: tuple[str, ...]) -> int:
        """How many clauses from ``i`` spell ``stems`` (0 if they do not)."""
        if keys[i] == stems:
            return 1  # a quoted phrase, or a one-word member
        if len(stems) < 2 or i + len(stems) > len(keys):
            return 0
        if all(keys[i + n] == (s,) for n, s in enumerate(stems)):
            return len(stems)
        return 0
