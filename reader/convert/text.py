"""Plain text (format "txt") -> a briefing: the encoding found, headings detected, paragraphs
kept word for word.

The bytes are UTF-8 (with or without a BOM), UTF-16 with a BOM, or a legacy encoding that
charset_normalizer recognises (windows-1251, windows-1256, koi8-r...; a warning names it).
Blocks are separated by blank lines. A block is a heading when it is one line standing alone
that looks like one: underlined (`===` level 1, `---` level 2), numbered ("2.3 Title": level by
the number's depth), ALL CAPS, or short, without final punctuation and followed by a paragraph.
The first heading-like line is the briefing's title when a byline or body follows it; a
"by NAME" line and a date line near the top become the author and the date. Every other block
is a paragraph, escaped so that it renders exactly the words it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from reader.convert import Source
from reader.convert.model import MAX_LEVEL, Converted, ConvertError, Part, escape_paragraph

MAX_HEADING_CHARS = 100
MAX_HEADING_WORDS = 12
META_BLOCKS = 6  # a byline or date line counts only among the first blocks of the file
_FINAL_PUNCT = ".,;:!?…،؛؟۔"
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
_NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(\.?)\s+(\S.*)$")
_BULLET = re.compile(r"^[-*•◦▪+>]\s")
# "by Jhon Lennon 42 views", "By Jane Doe | Reuters", "Author: J. Doe"; the name stops at a
# digit, a separator or " on <date>"
_BYLINE = re.compile(r"^(?:by|written by|author:|автор:)\s+(?P<name>[^\d|·•,;()\[\]–—]+?)"
                     r"(?:\s+(?:on|at)\s.*|\s*[\d|·•,;()\[\]–—].*)?$", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^(?:published|updated|posted|date|dated)\s*(?:on)?\s*:?\s*", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y",
                 "%d %B %Y", "%d %b %Y", "%d %B, %Y", "%A, %B %d, %Y", "%A %d %B %Y", "%d.%m.%Y")
_PREFERRED = ("cp1252", "cp1251", "cp1256", "cp1250", "koi8_r")
_CODEC_NAMES = {"koi8_r": "koi8-r", "koi8_u": "koi8-u", "mac_cyrillic": "mac-cyrillic",
                "utf_16": "UTF-16", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls but tab, newlines, form feed
_PERSIAN_ONLY = set("پچژگکی")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on",
                "or", "over", "the", "to", "vs", "via", "with"}


@dataclass
class _Heading:
    kind: str  # "underline", "numbered", "caps", "plain"
    level: int
    title: str


def convert(source: Source) -> Converted:
    """The briefing in a plain-text file (see the module's docstring)."""
    if source.data is None:
        raise ConvertError(source.path, "not a text file (a folder)")
    text, encoding = decode(source.data, source.path)
    blocks = split_blocks(text)
    result = Converted(title="", encoding=encoding, format="txt")
    if encoding != "utf-8":
        result.warnings.append(f"decoded as {encoding}")
    headings = detect_headings(blocks)
    skip = _front_matter(blocks, headings, result)
    current: Part | None = None
    for i, block in enumerate(blocks):
        if i in skip:
            continue
        head = headings[i]
        if head is not None:
            current = Part(head.title, head.level)
            result.parts.append(current)
            rest = block[2:] if head.kind == "underline" else []
            if not rest:
                continue
            block = rest
        para = escape_paragraph("\n".join(block))
        if current is None:
            result.intro = _join(result.intro, para)
        else:
            current.markdown = _join(current.markdown, para)
    result.language = guess_language(text)
    return result


# ---- bytes -> text ---------------------------------------------------------------------------
def decode(data: bytes, path: object = "") -> tuple[str, str]:
    """The text and the name of the encoding it was decoded from ("utf-8", "UTF-16",
    "windows-1251"...). Raises ConvertError for a binary or undecodable file."""
    name = str(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ConvertError(name, f"not valid UTF-16 text ({exc.reason} at byte {exc.start})") from exc
    elif b"\x00" in data:
        raise ConvertError(name, "not a text file (it holds NUL bytes: a binary file)")
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _legacy(data, name)
    text = text.removeprefix("\ufeff")
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise ConvertError(name, "not a text file (it holds control characters: a binary file)")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"), encoding


def _legacy(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise ConvertError(name, "cannot decode the text: it is not UTF-8 and its encoding "
                                 "could not be recognised")
    codec = best.encoding
    # equally likely readings (short French text is as good windows-1250 as windows-1252):
    # the most common code page of them
    tied = [m for m in results
            if m.chaos == best.chaos and abs(m.coherence - best.coherence) < 1e-6]
    for preferred in _PREFERRED:
        match = next((m for m in tied if preferred in m.could_be_from_charset), None)
        if match is not None:
            best, codec = match, preferred
            break
    if codec.startswith("cp125"):
        label = "windows-" + codec[2:]
    else:
        label = _CODEC_NAMES.get(codec, codec.replace("_", "-"))
    return str(best), label


def split_blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks, each a list of its lines (right-trimmed)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# ---- headings ------------------------------------------------------------------------------
def detect_headings(blocks: list[list[str]]) -> list[_Heading | None]:
    """Each block's heading, or None for a paragraph (see the module's docstring)."""
    strong = [_strong_heading(b) for b in blocks]
    found: list[_Heading | None] = []
    for i, block in enumerate(blocks):
        head = strong[i]
        if head is None and len(block) == 1 and _heading_like(block[0]) and not _is_meta(block):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is not None and strong[i + 1] is None and not _is_meta(nxt) \
                    and not (len(nxt) == 1 and _heading_like(nxt[0])):
                head = _Heading("plain", 1, block[0].strip())
        found.append(head)
    return found


def _strong_heading(block: list[str]) -> _Heading | None:
    """An underlined, numbered or ALL-CAPS heading: no paragraph needs to follow."""
    first = block[0].strip()
    if len(block) >= 2 and len(first) <= MAX_HEADING_CHARS and not _BULLET.match(first):
        m = _UNDERLINE.match(block[1])
        if m and len(m.group(1)) >= 2:
            return _Heading("underline", 1 if m.group(1)[0] == "=" else 2, first)
    if len(block) != 1 or _is_meta(block):
        return None
    m = _NUMBERED.match(first)
    if m and (m.group(2) or "." in m.group(1)) and _heading_like(m.group(3)):
        depth = m.group(1).count(".") + 1
        return _Heading("numbered", min(depth, MAX_LEVEL), first)
    cased = [ch for ch in first if ch.isalpha() and ch.lower() != ch.upper()]
    if (len(cased) >= 2 and all(ch.isupper() for ch in cased) and len(first) <= MAX_HEADING_CHARS
            and first[-1] not in ".,;" and not _BULLET.match(first)):
        return _Heading("caps", 1, first)
    return None


def _heading_like(line: str) -> bool:
    """Short, starting with a capital (in a script that has them), without final punctuation
    (but a title-case question, "A United Front?", is a heading)."""
    s = line.strip()
    if not s or len(s) > MAX_HEADING_CHARS or len(s.split()) > MAX_HEADING_WORDS:
        return False
    if _BULLET.match(s) or not any(ch.isalpha() for ch in s):
        return False
    first = next(ch for ch in s if ch.isalpha())
    if first.lower() != first.upper() and not first.isupper():
        return False
    if s[-1] == "?":
        return _title_case(s[:-1])
    return s[-1] not in _FINAL_PUNCT


def _title_case(text: str) -> bool:
    words = [w.strip("\"'“”‘’()[]:;,-") for w in text.split()]
    words = [w for w in words if w and w[0].isalpha() and w[0].lower() != w[0].upper()]
    return bool(words) and all(w[0].isupper() for w in words if w.lower() not in _SMALL_WORDS)


# ---- title, byline, date -------------------------------------------------------------------
def _is_meta(block: list[str]) -> bool:
    return len(block) == 1 and (_byline(block[0]) is not None or _date_line(block[0]) is not None)


def _byline(line: str) -> str | None:
    s = line.strip()
    if len(s) > 80:
        return None
    m = _BYLINE.match(s)
    if m is None:
        return None
    name = m.group("name").strip()
    words = name.split()
    if not words or len(words) > 5 or not all(w[0].isupper() or w[0] in ".'" for w in words
                                              if w.lower() not in ("de", "van", "von", "al", "el")):
        return None
    return name


def _date_line(line: str) -> str | None:
    s = _DATE_PREFIX.sub("", line.strip(), count=1).strip().rstrip(".")
    if len(s) > 40:
        return None
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _front_matter(blocks: list[list[str]], headings: list[_Heading | None],
                  result: Converted) -> set[int]:
    """Find the title, byline and date near the top; returns the indexes of their blocks."""
    skip: set[int] = set()
    for i in range(min(META_BLOCKS, len(blocks))):
        block = blocks[i]
        if len(block) != 1:
            continue
        author, when = _byline(block[0]), _date_line(block[0])
        if author and not result.author and headings[i] is None:
            result.author = author
            skip.add(i)
        elif when and not result.date and headings[i] is None:
            result.date = when
            skip.add(i)
    candidate = next((i for i in range(min(3, len(blocks))) if i not in skip), None)
    if candidate is None:
        return skip
    block, head = blocks[candidate], headings[candidate]
    if head is not None and head.kind == "numbered":
        return skip
    if head is None and not (len(block) == 1 and (_heading_like(block[0])
                                                   or _strong_heading(block) is not None)):
        return skip
    after = next((j for j in range(candidate + 1, len(blocks)) if j not in skip), None)
    if after is None:
        return skip  # nothing follows: the line is the whole text, not a title
    meta_between = any(j in skip for j in range(candidate + 1, after))
    nxt = headings[after]
    same_kind = (head is not None and nxt is not None and nxt.kind == head.kind
                 and nxt.level == head.level)
    if head is not None and head.kind == "underline" and any(
            h is not None and h.kind == head.kind and h.level == head.level for h in headings[after:]):
        return skip  # "====" under later headings too: the first is one of the sections
    if meta_between or nxt is None or not same_kind:
        result.title = (head.title if head is not None else block[0].strip())
        skip.add(candidate)
        headings[candidate] = None
    return skip


def guess_language(text: str) -> str:
    """"ru", "uk", "fa" or "ar" when most letters are Cyrillic or Arabic script, else ""."""
    cyrillic = arabic = letters = 0
    for ch in text[:20000]:
        if ch.isalpha():
            letters += 1
            if "\u0400" <= ch <= "\u04ff":
                cyrillic += 1
            elif "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f":
                arabic += 1
    if letters and cyrillic * 2 > letters:
        return "uk" if any(ch in text for ch in "їєґЇЄҐ") else "ru"
    if letters and arabic * 2 > letters:
        return "fa" if any(ch in _PERSIAN_ONLY for ch in text) else "ar"
    return ""


def _join(a: str, b: str) -> str:
    return f"{a}\n\n{b}" if a else b
