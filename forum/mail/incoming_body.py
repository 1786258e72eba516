"""The new text of an incoming reply, as Markdown: the body part chosen from the MIME tree,
decoded whatever its charset claims, HTML turned into Markdown, and the quoted history and
signature trimmed off (by ``mail-parser-reply``, with a few guards of our own).

Nothing here touches the database; :func:`reply_text` takes a parsed message and returns a
string, empty when nothing new was written.
"""

from __future__ import annotations

import codecs
import re
from email.message import EmailMessage, Message

from bs4 import BeautifulSoup, Comment
from mailparser_reply.parser import EmailMessage as ReplyMessage
from markdownify import ATX, MarkdownConverter

#: Languages whose reply headers ("On … wrote:", "From: … Sent: …") and sign-offs are
#: recognised. English only: every extra language adds sign-off words ("Tak", "Hilsen"…)
#: that would also cut real English sentences short.
LANGUAGES = ("en",)

#: Text handed to the trimmer is cut to this many times the longest post: the new text is
#: at the top, so what is cut is old history (or a reply that was too long anyway), and the
#: trimmer's regular expressions stay fast on a multi-megabyte message.
TRIM_WINDOW_FACTOR = 2
MIN_TRIM_WINDOW = 16_000
#: Lines longer than this cannot be a reply header; they are hidden from the trimmer (whose
#: "On … wrote:" pattern is quadratic in a line's length) and put back afterwards.
LONG_LINE = 400

#: Elements whose content must never reach the post (not even as text).
_DROP_TAGS = (
    "script",
    "style",
    "head",
    "title",
    "template",
    "noscript",
    "iframe",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "form",
    "button",
    "select",
    "textarea",
    "audio",
    "video",
    "canvas",
)
#: Quoted history and signatures as mail clients mark them in HTML: removed with their
#: content. (Quotes without such a marker become Markdown quotes; a trailing one is then
#: trimmed with the plain-text rules.)
_DROP_SELECTORS = (
    ".gmail_quote",  # Gmail: the attribution line and the quoted message
    ".gmail_quote_container",
    ".gmail_signature",
    "[data-smartmail=gmail_signature]",
    ".moz-cite-prefix",  # Thunderbird: "On … wrote:"
    ".moz-signature",
    ".yahoo_quoted",
    "#mail-editor-reference-message-container",  # Outlook for Mac / new Outlook
    "#Signature",  # Outlook on the web
    "#ms-outlook-mobile-signature",
    "#AppleMailSignature",
)
#: Outlook (web and desktop) starts the quoted message here; it and everything after it go.
_HISTORY_STARTS = ("#appendonsend", "#divRplyFwdMsg", "#x_divRplyFwdMsg", ".OutlookMessageHeader")

_QUOTE_LINE = re.compile(r"^\s*>")
_SEPARATOR_LINE = re.compile(r"^\s*(?:[-_=*~]\s*){3,}$")
_BULLET = re.compile(r"^(\s*)[•·◦▪▫‣\uf0a7\uf0b7]\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[ \t\xa0]+$", re.MULTILINE)

# What a sign-off detected by the trimmer must look like before we believe it: the trimmer
# cuts at any line that merely *starts* with "Thanks," or "Best,", which would lose
# everything after "Thanks, that is very helpful…".
_HARD_SIGNATURE = re.compile(
    r"^(?:>\s?)*(?:[-_]{2}\s*$|[-_]{32,}|sent from my\b|get outlook for\b)", re.IGNORECASE
)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w.'’\-]*|[A-Z]\.?|&|-+)[,.!]?$")
_SIGNOFF_MAX_NAME_WORDS = 5
_SIGNOFF_MAX_LINES = 12
#: How far ahead a trimmed line is looked for among the original ones.
_REALIGN_LOOKAHEAD = 50
#: What the trimmer's disclaimer pattern may take in before a disclaimer.
_SENTENCE_START = "\n\r.!? \t\u200b\xa0"
_SIGNOFFS = re.compile(
    r"^(?:>\s?)*(?:best regards|kind regards|thanks|thank you|best|all the best|regards)[,.!]?",
    re.IGNORECASE,
)


def reply_text(message: Message, max_chars: int) -> str:
    """The new text of ``message`` as Markdown ('' when there is none).

    ``max_chars`` is the longest post allowed: the trimmer only looks at the first
    ``TRIM_WINDOW_FACTOR`` times that many characters."""
    text = body_text(message)
    if not text.strip():
        return ""
    return trim_reply(text, window=max(max_chars * TRIM_WINDOW_FACTOR, MIN_TRIM_WINDOW))


# --- Choosing and decoding the body ---------------------------------------------------------


def body_text(message: Message) -> str:
    """The message's body as text: its text/plain part (format=flowed joined up) or, when
    it has none (or an empty one), its text/html part as Markdown. Attachments are
    ignored."""
    for part in _body_parts(message):
        text = _part_text(part)
        if text.strip():
            return text
    return ""


def _part_text(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes | bytearray):
        return ""
    text = decode(bytes(data), _charset(part))
    if part.get_content_type() == "text/html":
        return html_to_markdown(text)
    if _param(part, "format").lower() == "flowed":
        text = unflow(text, delsp=_param(part, "delsp").lower() == "yes")
    return _tidy(text)


def _body_parts(message: Message) -> list[Message]:
    """The text/plain body part, then the text/html one (either may be missing)."""
    found: dict[str, Message | None] = {"plain": None, "html": None}
    if isinstance(message, EmailMessage):
        for subtype in found:
            try:
                found[subtype] = message.get_body(preferencelist=(subtype,))
            except Exception:  # a malformed MIME tree: walk it ourselves below
                found[subtype] = None
    if found["plain"] is None and found["html"] is None:
        for part in _walk(message):
            if part.is_multipart() or _is_attachment(part):
                continue
            subtype = part.get_content_type().removeprefix("text/")
            if subtype in found and found[subtype] is None:
                found[subtype] = part
    return [part for part in found.values() if part is not None]


def _walk(part: Message, depth: int = 0):
    """Every part, not descending into attached messages (``message/rfc822``)."""
    yield part
    if depth > 20 or not part.is_multipart() or part.get_content_maintype() == "message":
        return
    payload = part.get_payload()
    for child in payload if isinstance(payload, list) else ():
        yield from _walk(child, depth + 1)


def _is_attachment(part: Message) -> bool:
    try:
        return (part.get_content_disposition() or "") == "attachment"
    except Exception:
        return False


def _param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name)
    except Exception:
        return ""
    if isinstance(value, tuple):  # RFC 2231: (charset, language, value)
        value = value[2]
    return str(value or "")


def _charset(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:
        return None


def _known(charset: str | None) -> str | None:
    """The codec for a charset label, or ``None`` for missing, unknown or non-text ones."""
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
    except (LookupError, ValueError, TypeError):
        return None
    try:
        b"".decode(name)  # codecs such as base64 or rot13 are not text encodings
    except LookupError:
        return None
    return name


def decode(data: bytes, charset: str | None) -> str:
    """``data`` as text: in its declared charset when that works, else UTF-8, else
    Windows-1252 (what mail that claims ISO-8859-1 or US-ASCII usually really is), else
    Latin-1, which never fails. Never raises."""
    declared = _known(charset)
    attempts: list[str] = []
    if declared in ("latin-1", "iso8859-1", "ascii"):
        # Labels that mail software writes without looking; browsers read both as 1252.
        attempts = ["ascii", "utf-8", "cp1252"] if declared == "ascii" else ["cp1252"]
    elif declared:
        attempts = [declared, "utf-8", "cp1252"]
    else:
        attempts = ["utf-8", "cp1252"]
    for codec in attempts:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            continue
    return data.decode("latin-1")


def unflow(text: str, *, delsp: bool = False) -> str:
    """Join the soft line breaks of a ``format=flowed`` body (RFC 3676)."""
    out: list[str] = []
    pending: str | None = None
    pending_depth = 0
    for line in text.split("\n"):
        line = line.rstrip("\r")
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if pending is not None and depth == pending_depth:
            content = pending + content
        elif pending is not None:
            out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
        pending = None
        if flowed:
            pending, pending_depth = content, depth
            continue
        out.append(">" * depth + (" " if depth and content else "") + content)
    if pending is not None:
        out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
    return "\n".join(out)


# --- HTML -----------------------------------------------------------------------------------


class _Converter(MarkdownConverter):
    def convert_img(self, el, text, parent_tags):
        # Inline (cid:) and data: images are attachments, which are ignored; keep only
        # pictures on the web.
        src = (el.attrs.get("src") or "").strip().lower()
        if not src.startswith(("http://", "https://")):
            return el.attrs.get("alt") or ""
        return super().convert_img(el, text, parent_tags)


def html_to_markdown(html: str) -> str:
    """HTML as Markdown, with scripts, styles and other active content removed first (so
    not even their text survives) and the quoted history that mail clients mark dropped."""
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(list(_DROP_TAGS)):
        tag.decompose()
    for selector in _HISTORY_STARTS:
        for start in soup.select(selector):
            _drop_from(start)
    for selector in _DROP_SELECTORS:
        for tag in soup.select(selector):
            tag.decompose()
    try:
        text = _Converter(heading_style=ATX, bullets="-").convert_soup(soup)
    except RecursionError:  # absurdly deep nesting: plain text is better than nothing
        text = soup.get_text("\n")
    return _tidy(text)


def _drop_from(start) -> None:
    """Remove ``start`` and everything after it in document order."""
    node = start
    while node is not None and node.name not in ("body", "html", "[document]"):
        for sibling in list(node.next_siblings):
            sibling.extract()
        parent = node.parent
        if node is start:
            node.extract()
        node = parent


# --- Trimming quoted history and signatures ------------------------------------------------


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    text = _TRAILING_SPACE.sub("", text)
    return "\n".join(_BULLET.sub(r"\1- ", line) for line in text.split("\n"))


def trim_reply(text: str, *, window: int = 64_000) -> str:
    """The new text at the top of a reply: quoted history ("On … wrote:", Outlook's
    "From: … Sent: …" block, "-----Original Message-----", a trailing ``>`` quote) and the
    signature ("-- ", "Sent from my iPhone", a sign-off) removed. Interleaved ``>`` quotes
    followed by new text stay, as Markdown quotes: they are the context of the answers."""
    text = _tidy(text)[:window]
    lines = text.split("\n")
    hidden: dict[str, str] = {}
    shown = []
    for line in lines:
        if len(line) > LONG_LINE:
            token = f"lmchublongline{len(hidden)}x"
            hidden[token] = line
            line = token
        shown.append(line)
    parsed = ReplyMessage(text="\n".join(shown), languages=list(LANGUAGES), keep_hyphen_lists=True)
    parsed.read()
    if not parsed.replies or parsed.replies[0].headers:
        return ""  # the message starts with the quoted history: nothing new was written
    reply = parsed.replies[0]
    body = reply.content
    if reply.signatures and _believable_signature(reply.signatures):
        cut = body.rfind(reply.signatures)
        body = body[:cut] if cut >= 0 else body
    body = _without_disclaimers(body.strip(), reply.disclaimers)
    kept = _realign(body.split("\n"), shown)
    kept = [hidden.get(line.strip(), line) for line in kept]
    while kept and (
        not kept[-1].strip() or _QUOTE_LINE.match(kept[-1]) or _SEPARATOR_LINE.match(kept[-1])
    ):
        kept.pop()
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip("\n")


def _without_disclaimers(body: str, disclaimers: list[str]) -> str:
    """``body`` less the disclaimers the trimmer found, but only at its very start or end
    (an "external e-mail" banner, a confidentiality notice): the trimmer's pattern also
    matches sentences such as "Important note: e-mail the practice by Friday"."""
    found = [d.lstrip(_SENTENCE_START) for d in disclaimers]
    found = [d for d in found if d]
    changed = True
    while changed:
        changed = False
        for disclaimer in found:
            if body.startswith(disclaimer):
                body, changed = body[len(disclaimer) :].strip(), True
            elif body.endswith(disclaimer):
                body, changed = body[: -len(disclaimer)].strip(), True
    return body


def _believable_signature(signature: str) -> bool:
    lines = [line.strip() for line in signature.split("\n") if line.strip()]
    if not lines:
        return True
    first = lines[0]
    if _HARD_SIGNATURE.match(first):
        return True
    if len(lines) > _SIGNOFF_MAX_LINES:
        return False
    match = _SIGNOFFS.match(first)
    if match is None:
        return False
    rest = first[match.end() :].split()
    return len(rest) <= _SIGNOFF_MAX_NAME_WORDS and all(_NAME_WORD.match(w) for w in rest)


def _realign(kept: list[str], original: list[str]) -> list[str]:
    """The trimmer strips every line; put back the original lines (their indentation makes
    nested lists and code blocks) wherever a kept line can be matched in order."""
    out = []
    position = 0
    for line in kept:
        stripped = line.strip()
        if not stripped:
            out.append("")
            continue
        for index in range(position, min(position + _REALIGN_LOOKAHEAD, len(original))):
            if original[index].strip() == stripped:
                out.append(original[index].rstrip())
                position = index + 1
                break
        else:
            out.append(line)
    return out
