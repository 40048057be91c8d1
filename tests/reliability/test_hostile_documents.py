"""Documents from elsewhere, imported as a user would (`import-briefing`, in process): encrypted or
damaged files, zip bombs inside DOCX/EPUB, enormous files, files that are not what their extension
says. Each gets a message naming the file and the reason, exit 1, no traceback, and the library
is unchanged (nothing half imported). Arbitrary bytes under every extension raise only
ConvertError from the converters."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter

from reader.app import main
from reader.convert import ConvertError, convert_source
from tests.convert.docs import make_docx, make_epub
from tests.convert.test_safezip import zeros_member
from tests.reliability.helpers import RELIABLE

MB = 1024 * 1024


def docx_bomb(path: Path) -> None:
    make_docx(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        zeros_member(z, "word/media/huge.png", 60 * MB)  # ~60 KB on disk


def epub_bomb(path: Path) -> None:
    make_epub(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        zeros_member(z, "OEBPS/huge.xhtml", 60 * MB)


def encrypted_pdf(path: Path) -> None:
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret")
    w.write(str(path))


def blank_pdf(path: Path) -> None:  # no text layer: a scan would be the same
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.write(str(path))


def truncated(make: Callable[[Path], object], keep: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        make(path)
        path.write_bytes(path.read_bytes()[:keep])
    return build


def enormous(path: Path) -> None:
    with path.open("wb") as f:  # sparse: 300 MB on the file system, nothing on disk
        f.truncate(300 * MB)


def office_encrypted(path: Path) -> None:  # what Word writes for a password-protected .docx
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


def drm_epub(path: Path) -> None:
    make_epub(path)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("META-INF/encryption.xml", (
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
            '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
            '<enc:CipherData><enc:CipherReference URI="OEBPS/chapter1.xhtml"/></enc:CipherData>'
            "</enc:EncryptedData></encryption>"))


CASES: dict[str, tuple[str, Callable[[Path], object], str]] = {
    "docx zip bomb": ("memo.docx", docx_bomb, "zip bomb"),
    "epub zip bomb": ("book.epub", epub_bomb, "zip bomb"),
    "password pdf": ("secret.pdf", encrypted_pdf, "password"),
    "scanned pdf": ("scan.pdf", blank_pdf, "no text layer"),
    "truncated pdf": ("cut.pdf", truncated(blank_pdf, 60), "damaged"),
    "truncated docx": ("cut.docx", truncated(make_docx, 400), "damaged"),
    "truncated epub": ("cut.epub", truncated(make_epub, 400), "damaged"),
    "encrypted docx": ("locked.docx", office_encrypted, "encrypted"),
    "drm epub": ("drm.epub", drm_epub, "DRM"),
    "enormous text": ("huge.txt", enormous, "over 200 MB"),
    "text as docx": ("memo.docx", lambda p: p.write_text("plain words"), "not a DOCX"),
    "pdf as epub": ("book.epub", blank_pdf, "PDF"),
    "binary as txt": ("notes.txt", lambda p: p.write_bytes(bytes(range(256)) * 40), "not a text"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_document_is_refused_by_name_and_changes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, build, reason = CASES[case]
    path = tmp_path / name
    build(path)
    data = tmp_path / "data"
    code = main(["--data-dir", str(data), "import-briefing", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert name in err and reason.lower() in err.lower(), err
    assert "library is unchanged" in err and "Traceback" not in err
    assert not (data / "library" / "packs").exists() or not any((data / "library" / "packs").iterdir())


EXTENSIONS = [".txt", ".html", ".docx", ".epub", ".pdf"]


@RELIABLE
@given(ext=st.sampled_from(EXTENSIONS), blob=st.binary(max_size=3000),
       head=st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf"]))
def test_arbitrary_bytes_raise_only_convert_error(tmp_path_factory: pytest.TempPathFactory,
                                                  ext: str, blob: bytes, head: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"doc{ext}"
    path.write_bytes(head + blob)
    try:
        convert_source(path)
    except ConvertError as exc:
        assert exc.reason and exc.source == path


@RELIABLE
@given(cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
def test_damaged_docx_and_epub_raise_only_convert_error(tmp_path_factory: pytest.TempPathFactory,
                                                        cut: int, flip: int) -> None:
    folder = tmp_path_factory.mktemp("damaged")
    for make, name in ((make_docx, "memo.docx"), (make_epub, "book.epub")):
        path = folder / name
        make(path)
        data = bytearray(path.read_bytes())
        if flip < len(data):
            data[flip] ^= 0xFF
        path.write_bytes(bytes(data[:len(data) - cut % max(1, len(data))]))
        try:
            convert_source(path)
        except ConvertError as exc:
            assert exc.reason


def test_a_zip_bomb_is_stopped_before_it_inflates(tmp_path: Path) -> None:
    """The bomb's 60 MB are never held: the refusal comes while reading, memory stays low."""
    import tracemalloc

    path = tmp_path / "memo.docx"
    docx_bomb(path)
    tracemalloc.start()
    with pytest.raises(ConvertError, match="zip bomb"):
        convert_source(path)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 30 * MB, peak


