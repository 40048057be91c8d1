"""Share annotations offline: W3C Web Annotation JSON (export and import) and Markdown (export).

JSON follows the W3C Web Annotation Data Model: an `AnnotationCollection` whose page holds one
`Annotation` per record, `id` = `urn:uuid:<uuid>`, the target a section with a `TextQuoteSelector`
and a `TextPositionSelector`, the note a Markdown `TextualBody`, tags `tagging` bodies, the colour
as `styleClass`. What the model has no term for (kind, fingerprint) uses the `reader:` prefix
declared in the `@context`, so the file is still valid JSON-LD.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.annotations.model import COLORS, Annotation, Kind, Selector, parse_time

if TYPE_CHECKING:
    from reader.content import Library

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
READER_NS = "urn:x-briefing-reader:"
CONTEXT: list[Any] = [W3C_CONTEXT, {"reader": READER_NS}]
SOURCE_PREFIX = "briefing:"  # target source: briefing:<briefing-id>/<section-id>
MOTIVATION = {Kind.HIGHLIGHT: "highlighting", Kind.NOTE: "commenting", Kind.BOOKMARK: "bookmarking"}
KIND_OF = {v: k for k, v in MOTIVATION.items()}


class ExchangeError(Exception):
    """A file to import is not usable; the message names the file and the problem."""


def to_w3c(a: Annotation) -> dict[str, Any]:
    """One annotation as a W3C Web Annotation (JSON-LD object)."""
    bodies: list[dict[str, Any]] = []
    if a.note:
        bodies.append({"type": "TextualBody", "value": a.note, "format": "text/markdown",
                       "purpose": "commenting"})
    bodies += [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in a.tags]
    target: dict[str, Any] = {"type": "SpecificResource", "source": SOURCE_PREFIX + a.section_key,
                              "styleClass": a.color}
    s = a.selector
    if not s.is_empty:
        target["selector"] = [
            {"type": "TextQuoteSelector", "exact": s.exact, "prefix": s.prefix, "suffix": s.suffix},
            {"type": "TextPositionSelector", "start": s.start, "end": s.end},
        ]
    out: dict[str, Any] = {
        "id": f"urn:uuid:{a.id}", "type": "Annotation", "motivation": MOTIVATION[a.kind],
        "created": a.created, "modified": a.modified, "target": target,
        "reader:kind": a.kind.value, "reader:fingerprint": a.fingerprint,
    }
    if bodies:
        out["body"] = bodies
    return out


def from_w3c(obj: dict[str, Any]) -> Annotation:
    """Read one W3C annotation back; raises ValueError/KeyError/TypeError when it is not ours."""
    target = obj["target"]
    source = target["source"] if isinstance(target, dict) else target
    if not isinstance(source, str) or not source.startswith(SOURCE_PREFIX):
        raise ValueError(f"target is not a briefing section: {source!r}")
    briefing_id, _, section_id = source.removeprefix(SOURCE_PREFIX).rpartition("/")
    quote: dict[str, Any] = {}
    position: dict[str, Any] = {}
    for sel in (target.get("selector") or []) if isinstance(target, dict) else []:
        if sel.get("type") == "TextQuoteSelector":
            quote = sel
        elif sel.get("type") == "TextPositionSelector":
            position = sel
    bodies = obj.get("body") or []
    bodies = bodies if isinstance(bodies, list) else [bodies]
    notes = [b["value"] for b in bodies if b.get("purpose", "commenting") == "commenting"]
    kind = obj.get("reader:kind") or KIND_OF.get(obj.get("motivation", ""), Kind.HIGHLIGHT)
    color = target.get("styleClass", COLORS[0]) if isinstance(target, dict) else COLORS[0]
    created = str(obj.get("created") or obj.get("modified"))
    for stamp in (created, str(obj.get("modified") or created)):
        parse_time(stamp)  # a bad timestamp would break "newer wins" later: refuse it now
    return Annotation(
        id=str(obj["id"]).removeprefix("urn:uuid:"), briefing_id=briefing_id, section_id=section_id,
        kind=Kind(kind), color=color if color in COLORS else COLORS[0], note="\n\n".join(notes),
        tags=tuple(b["value"] for b in bodies if b.get("purpose") == "tagging"),
        selector=Selector(quote.get("exact", ""), quote.get("prefix", ""), quote.get("suffix", ""),
                          int(position.get("start", 0)), int(position.get("end", 0))),
        fingerprint=str(obj.get("reader:fingerprint", "")),
        created=created, modified=str(obj.get("modified") or created),
    )


def export_json(annotations: Iterable[Annotation], path: Path) -> int:
    """Write an AnnotationCollection; returns how many annotations were written."""
    items = [to_w3c(a) for a in annotations]
    doc = {
        "@context": CONTEXT, "type": "AnnotationCollection", "label": "Briefing Reader annotations",
        "total": len(items), "first": {"type": "AnnotationPage", "items": items},
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(items)


def read_json(path: Path) -> list[Annotation]:
    """Annotations from an exported file (a collection, a page, a list or a single annotation)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExchangeError(f"{path}: cannot read annotations: {exc}") from exc
    try:
        items = _items(doc)
    except ExchangeError as exc:  # the message names the file, as the others do
        raise ExchangeError(f"{path}: {exc}") from exc
    out = []
    for n, item in enumerate(items, 1):
        try:
            out.append(from_w3c(item))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise ExchangeError(f"{path}: annotation {n} is not usable: {exc!r}") from exc
    return out


def _items(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        if doc.get("type") == "AnnotationCollection":
            return list((doc.get("first") or {}).get("items") or [])
        if doc.get("type") == "AnnotationPage":
            return list(doc.get("items") or [])
        if doc.get("type") == "Annotation":
            return [doc]
    raise ExchangeError("not a W3C annotation file (expected an AnnotationCollection)")


@dataclass(frozen=True)
class SectionInfo:
    """How Markdown export names a section: titles for the heading, a link for the record."""

    heading: str
    link: str


def describe_section(library: Library, key: str) -> SectionInfo:
    """How Markdown export names the section `key` of `library` (one that is gone, too)."""
    section = library.find(key)
    if section is None or section.key != key:
        return SectionInfo(f"{key} (not in the current content)", f"section:{key}")
    return SectionInfo(" › ".join(section.path_titles), f"section:{key}")


def export_markdown(
    annotations: Iterable[Annotation], path: Path, describe: Callable[[str], SectionInfo]
) -> int:
    """Markdown grouped by section: quote, note, colour, tags, link. Returns the count."""
    groups: dict[str, list[Annotation]] = {}
    for a in annotations:
        groups.setdefault(a.section_key, []).append(a)
    lines = ["# Annotations", ""]
    for key, items in groups.items():
        info = describe(key)
        lines += [f"## {info.heading}", ""]
        for a in sorted(items, key=lambda a: (a.selector.start, a.created)):
            lines += _markdown_item(a, info)
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return sum(len(v) for v in groups.values())


def _markdown_item(a: Annotation, info: SectionInfo) -> list[str]:
    out = []
    if a.kind is Kind.BOOKMARK:  # words, not 🔖: many fonts have no such glyph
        out += ["- Bookmark" + (f" at “{a.quote}”" if a.quote else ""), ""]
    elif a.quote:
        out += ["> " + line for line in a.quote.splitlines()]
        out.append("")
    if a.note:
        out += [a.note.strip(), ""]
    meta = [a.kind.value, f"colour: {a.color}"]
    if a.tags:
        meta.append("tags: " + ", ".join(a.tags))
    meta.append(f"[{a.section_key}]({info.link})")
    out += ["*" + " · ".join(meta) + "*", "", "---", ""]
    return out
