"""The reader's notes and highlighted quotes as documents of the search index ("your notes")."""

from __future__ import annotations

import logging

from reader.annotations.store import AnnotationStore
from reader.content import Library
from reader.search import SearchIndex
from reader.search.build import ExtraDocument

log = logging.getLogger(__name__)
KIND = "note"  # one index kind for every annotation document; hits open the annotated section


def note_documents(store: AnnotationStore, library: Library) -> list[ExtraDocument]:
    """One document per annotation with text (note and/or quote) whose section still exists.

    The note is indexed as the plain text it renders to (`store.search_record`): a snippet never
    shows `**`, and a word written in bold is found. The text is part of each document's
    fingerprint, so the notes of an index built when the typed Markdown was indexed are replaced
    by the next sync (the window syncs once the index is ready, the command line before every
    search).
    """
    docs = []
    for record in store.searchable_records():
        section = library.find(record.section_key)
        if section is None or section.key != record.section_key or not record.text.strip():
            continue
        briefing = section.briefing
        docs.append(ExtraDocument(
            key=f"{KIND}:{record.annotation_id}", kind=KIND, section=section.key,
            title=f"{section.title}", body=record.text, path=" › ".join(section.path_titles[:-1]),
            briefing=briefing.id if briefing else "", date=briefing.meta.date if briefing else "",
        ))
    return docs


def sync_notes(index: SearchIndex, store: AnnotationStore, library: Library) -> int:
    """Make the index's note documents match the store; returns how many there are now."""
    return sync_note_documents(index, note_documents(store, library))


def sync_note_documents(index: SearchIndex, docs: list[ExtraDocument]) -> int:
    """Index exactly `docs` as notes (safe in a worker thread: it does not touch the store).

    Does nothing when nothing changed, so a pristine (e.g. shipped, read-only) index is never
    copied just to record that there are no notes.
    """
    wanted = {d.key: d.fingerprint for d in docs}
    if wanted != index.extra_fingerprints(KIND):
        index.update_extra_documents(KIND, docs)
    return len(docs)
