"""A note is indexed as the text it renders to: snippets show its words, never its Markdown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reader.annotations import AnnotationStore, service
from reader.annotations.searchable import KIND, note_documents, sync_note_documents, sync_notes
from reader.content import Library, load_library
from reader.search import SearchIndex

NOTE = "A **re**visionist reading: *Moscow* wants `leverage`, see [the desk](https://example.org)"


@pytest.fixture
def setup(tmp_path: Path, content_dir: Path, data_dir: Path
          ) -> Iterator[tuple[SearchIndex, AnnotationStore, Library]]:
    library = load_library([content_dir])
    index = SearchIndex(tmp_path / "cache" / "index", prebuilt=None)
    index.ensure(library)
    store = AnnotationStore.in_folder(data_dir)
    note = service.create_for_quote(library.find("economic-synergies"), "local currencies", note=NOTE)
    assert note is not None
    store.add(note)
    yield index, store, library
    store.close()
    index.close()


def note_snippets(index: SearchIndex, query: str) -> list[str]:
    return [h.snippet.text for h in index.search(query).hits if h.kind == KIND]


def test_a_word_written_in_bold_is_found_and_the_snippet_has_no_markdown(setup) -> None:
    index, store, library = setup
    assert sync_notes(index, store, library) == 1
    [snippet] = note_snippets(index, "revisionist")  # "**re**visionist" was two words
    assert "A revisionist reading: Moscow wants leverage, see the desk" in snippet
    assert not {"*", "`", "[", "]("} & set(snippet)
    assert note_snippets(index, "leverage") == [snippet]


def test_an_index_holding_the_typed_markdown_is_synced_to_the_rendered_text(setup) -> None:
    index, store, library = setup
    # what an index built before notes were rendered holds: the note as typed
    [doc] = note_documents(store, library)
    sync_note_documents(index, [replace(doc, body=NOTE + "\nlocal currencies")])
    assert any("**" in s for s in note_snippets(index, "Moscow"))
    old = index.extra_fingerprints(KIND)

    sync_notes(index, store, library)  # as the window does once the index is ready
    assert index.extra_fingerprints(KIND) != old
    [snippet] = note_snippets(index, "Moscow")
    assert "**" not in snippet and "A revisionist reading" in snippet
