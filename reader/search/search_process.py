"""Searches answered in a process of their own (`SearchProcess`), reading the index another
process keeps up to date: the window's, whose `SearchIndex` builds and updates it.

Why a process: a search is tens of milliseconds of Python (Whoosh's posting reads, scoring,
snippets) holding the GIL. Run on a thread of the window's process, each of those stretches
made the GUI thread wait for the GIL at every call into Python while it laid out the previous
answer's rows: stalls of 50-70 ms while typing at 100,000 sections. Here the window's thread
that waits for an answer only pickles the request and unpickles the hits.

The child opens the index as it is on disk and never writes. Each request carries the folder
and the generation of the window's index (`SearchIndex.generation`, bumped at every change of
its searcher); when they differ from what the child read last, it catches up first
(`SearchIndex.follow`). Before the window's index swaps in a rebuilt folder it asks the child
to close its files (`release`): on Windows a folder with open files cannot be renamed.

If the child dies or does not answer, the call raises `SearchProcessGone` and the caller
searches in its own process (the indexer does, and starts no new child).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reader.search.index import IndexUnavailable, SearchIndex
from reader.search.query import SearchResults
from reader.search.scope import Scope

log = logging.getLogger(__name__)
START_TIMEOUT_S = 30.0  # a frozen app on a slow disk may take seconds to start the child
ANSWER_TIMEOUT_S = 60.0  # longer than any search (the slowest whole queries take ~1 s)
CLOSE_TIMEOUT_S = 0.5  # then it is terminated: quitting stays under a second


class SearchProcessGone(Exception):
    """The search process ended or did not answer; search in this process instead."""


class SearchProcess:
    """A child process answering `search()` for the index folder it is given, one query at a
    time (calls from several threads are serialised)."""

    def __init__(self) -> None:
        from reader.search.build import enable_multiprocessing

        enable_multiprocessing()  # the frozen app's multiprocessing support loads on first use
        # "spawn": the window calls this from a thread, and forking a threaded Qt process can
        # deadlock (as for the build's workers).
        ctx = multiprocessing.get_context("spawn")
        self._conn, child_end = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child_end,), daemon=True,
                                    name="briefing-reader-search")
        self._process.start()
        child_end.close()
        self._lock = threading.Lock()
        self._started = False
        self.answers = 0  # searches answered here (tests count them)

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def started(self) -> bool:
        """True once the child has imported the search code and said so (does not wait)."""
        if not self._started:
            with self._lock:
                try:
                    if self._conn.poll():
                        self._started = self._conn.recv() == "started"
                except (EOFError, OSError):
                    return False
        return self._started

    def search(self, folder: Path, generation: int, text: str, limit: int = 20,
               as_you_type: bool = False, settled: bool = False, within: Scope | None = None,
               readonly: bool = False) -> SearchResults:
        """`SearchIndex.search` of the index in `folder` as of `generation`; raises
        IndexUnavailable as it does, SearchProcessGone if the child cannot answer."""
        answer = self._ask(("search", str(folder), generation, readonly,
                            (text, limit, as_you_type, settled, within)))
        kind, value = answer
        if kind == "unavailable":
            raise IndexUnavailable(value)
        if kind == "failed":
            raise RuntimeError(value)
        self.answers += 1
        result: SearchResults = value
        return result

    def release(self) -> None:
        """Close the index files (the window's index is about to swap folders)."""
        with contextlib.suppress(SearchProcessGone):
            self._ask(("release",))

    def _ask(self, request: tuple[Any, ...]) -> tuple[str, Any]:
        with self._lock:
            try:
                if not self._started:
                    if not self._conn.poll(START_TIMEOUT_S) or self._conn.recv() != "started":
                        raise SearchProcessGone("the search process did not start")
                    self._started = True
                self._conn.send(request)
                if not self._conn.poll(ANSWER_TIMEOUT_S):
                    raise SearchProcessGone("the search process did not answer")
                answer: tuple[str, Any] = self._conn.recv()
                return answer
            except (EOFError, OSError, BrokenPipeError) as exc:
                raise SearchProcessGone(f"the search process ended ({exc!r})") from exc

    def close(self) -> None:
        """End the child: asked first, then terminated, then killed (a hung or stopped child
        takes no SIGTERM), within about a second. A search waiting for its answer meanwhile gets
        SearchProcessGone."""
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(None)
        self._process.join(CLOSE_TIMEOUT_S)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(CLOSE_TIMEOUT_S / 2)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(CLOSE_TIMEOUT_S / 2)
        with self._lock:  # after a search still waiting has seen the pipe end
            self._conn.close()


def _serve(conn: Connection) -> None:
    """The child: answer requests until told to stop or the window's end of the pipe closes."""
    index: SearchIndex | None = None
    seen: tuple[str, int] | None = None  # (folder, generation) last caught up with
    conn.send("started")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            break  # the window is gone
        if request is None:
            break
        if request[0] == "release":
            if index is not None:
                index.close()
            index, seen = None, None
            conn.send(("released", None))
            continue
        _, folder, generation, readonly, (text, limit, as_you_type, settled, within) = request
        try:
            if index is None or seen != (folder, generation):
                if index is None or index.folder != Path(folder):
                    if index is not None:
                        index.close()
                    path = Path(folder)
                    index = SearchIndex(path, prebuilt=path if readonly else None)
                index.follow()
                seen = (folder, generation)
            results = index.search(text, limit=limit, as_you_type=as_you_type, settled=settled,
                                   within=within)
            conn.send(("results", results))
        except IndexUnavailable as exc:
            seen = None  # look again next time
            conn.send(("unavailable", str(exc)))
        except Exception as exc:  # a bad query never raises; this is damage or a bug
            log.exception("search failed in the search process")
            seen = None
            conn.send(("failed", str(exc) or type(exc).__name__))
    if index is not None:
        index.close()
