"""What an index holds, beside its Whoosh files: the manifest.

Two files. `manifest.json` is small: the schema version, the content fingerprint, the languages,
the stored text's dictionary id, the document count and the extra documents (your notes). The
fingerprint of every section and briefing, which only an update of the sections needs, is in a
documents file the manifest names (`documents-<token>.json`), read when first asked for.

Why: at 100,000 sections those fingerprints are 7 MB of JSON, and `json.loads` held the GIL for
70 ms at a stretch (110 ms with the dicts made from it) on the build's thread of the window's
process, at every start and after every build: the window froze that long if the reader was
typing. Opening an index now reads the small file only.

The documents file is JSON lines: the briefings' fingerprints, then the sections' in objects
of at most DOCUMENTS_PER_LINE each, so that reading or writing it never holds the GIL for more
than a few milliseconds at a time (one `json.dumps` of all 100,000 took 65 ms).

Saving writes a new documents file (when the fingerprints were read or replaced) before the
manifest that names it, then removes the old one: the manifest's replacement is the one atomic
step, so a crash leaves either the old pair or the new pair, never a mix.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import Any

from reader.search.schema import SCHEMA_VERSION
from reader.search.stemming import DEFAULT_LANGUAGE, languages_of

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
DOCUMENTS_PREFIX = "documents-"
DOCUMENTS_PER_LINE = 500  # sections per line of the documents file: ~0.2 ms to parse or make


class DamagedManifest(Exception):
    """The documents file a manifest names is missing or unreadable: rebuild the index."""


class Manifest:
    """The content fingerprint, the section and briefing fingerprints, the extra documents'
    fingerprints (kind -> key -> fingerprint), the schema, the languages indexed (see
    `languages_of`) and the stored text's dictionary id (reader.search.stored_text)."""

    def __init__(self, content: str, sections: dict[str, str] | None = None,
                 briefings: dict[str, str] | None = None,
                 extra: dict[str, dict[str, str]] | None = None, schema: int = SCHEMA_VERSION,
                 languages: Iterable[str] | None = None, text_dictionary: int = 0) -> None:
        self.content = content  # fingerprint of the library the sections came from
        self.extra = extra if extra is not None else {}
        self.schema = schema
        self.languages = list(languages) if languages is not None else [DEFAULT_LANGUAGE]
        self.text_dictionary = text_dictionary
        # key -> document fingerprint; briefing id -> fingerprint of the file its sections came
        # from (an update makes records only for briefings whose file changed). None: not read
        # yet from `_documents` in `_folder`.
        self._sections = sections if sections is not None else {}
        self._briefings = briefings if briefings is not None else {}
        self._section_count = len(self._sections)
        self._folder: Path | None = None
        self._documents = ""  # the documents file this manifest was read with
        self._documents_read = True  # the fingerprints are in memory (read, made or replaced)

    @property
    def sections(self) -> dict[str, str]:
        self._read_documents()
        return self._sections

    @sections.setter
    def sections(self, value: dict[str, str]) -> None:
        self._read_documents()  # the briefings' stay as they were
        self._sections = value

    @property
    def briefings(self) -> dict[str, str]:
        self._read_documents()
        return self._briefings

    @briefings.setter
    def briefings(self, value: dict[str, str]) -> None:
        self._read_documents()
        self._briefings = value

    @property
    def doc_count(self) -> int:
        return self._sections_held + sum(len(docs) for docs in self.extra.values())

    @property
    def _sections_held(self) -> int:
        """How many sections the index holds, without reading the documents file."""
        return len(self._sections) if self._documents_read else self._section_count

    def _read_documents(self) -> None:
        if self._documents_read:
            return
        assert self._folder is not None
        path = self._folder / self._documents
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            briefings = dict(json.loads(lines[0])["briefings"])
            sections: dict[str, str] = {}
            for line in lines[1:]:
                sections.update(json.loads(line))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise DamagedManifest(f"its list of documents is unreadable ({exc})") from exc
        if len(sections) != self._section_count:
            raise DamagedManifest(f"its list of documents has {len(sections)} sections, "
                                  f"the manifest says {self._section_count}")
        self._sections, self._briefings = sections, briefings
        self._documents_read = True

    def save(self, folder: Path) -> None:
        """Written atomically (see the module's docstring): a crash leaves the old manifest, and
        the next update redoes the diff."""
        old = self._documents if self._folder == folder else ""
        documents = old
        if self._documents_read or not old:
            documents = f"{DOCUMENTS_PREFIX}{uuid.uuid4().hex[:12]}.json"
            _write_lines(folder / documents, _documents_lines(self.sections, self.briefings))
        data = {"schema": self.schema, "content": self.content, "documents": documents,
                "sections": self._sections_held, "extra": self.extra, "languages": self.languages,
                "text_dictionary": self.text_dictionary}
        _write(folder / MANIFEST, data)
        if old and old != documents:
            (folder / old).unlink(missing_ok=True)
        self._folder, self._documents = folder, documents

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        """The manifest of an index of the current schema, or None (missing, damaged, old
        schema, or its documents file missing). The fingerprints are read when first asked for
        (`sections`, `briefings`), and raise DamagedManifest then if that file is damaged."""
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if int(data["schema"]) != SCHEMA_VERSION:
                return None
            manifest = cls(content=str(data["content"]),
                           extra={k: dict(v) for k, v in data.get("extra", {}).items()},
                           languages=languages_of(map(str, data.get("languages", []))),
                           text_dictionary=int(data.get("text_dictionary", 0)))
            documents = str(data["documents"])
            count = int(data["sections"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("no usable manifest in %s: %s", folder, exc)
            return None
        if Path(documents).name != documents or not (folder / documents).is_file():
            log.info("no usable manifest in %s: its documents file %r is missing", folder,
                     documents)
            return None
        manifest._folder, manifest._documents = folder, documents
        manifest._section_count, manifest._documents_read = count, False
        return manifest


def _documents_lines(sections: dict[str, str], briefings: dict[str, str]) -> list[str]:
    lines = [json.dumps({"briefings": briefings}, ensure_ascii=False)]
    # A line's worth of items at a time: a list of all 100,000 (key, value) tuples set off a
    # full pass of the garbage collector (62 ms at the end of a build, in one probe run).
    items = iter(sections.items())
    while chunk := dict(islice(items, DOCUMENTS_PER_LINE)):
        lines.append(json.dumps(chunk, ensure_ascii=False))
    return lines


def _write(path: Path, data: dict[str, Any]) -> None:
    _write_lines(path, [json.dumps(data, ensure_ascii=False)])


def _write_lines(path: Path, lines: list[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(line + "\n")
    os.replace(tmp, path)
