"""Archives from elsewhere: zip bombs (by ratio, by declared size, by what actually inflates),
too many members, encryption, damage, names that climb out, XML entity expansion."""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest

from reader.convert import ConvertError, convert_source
from reader.convert.safezip import open_zip, parse_xml, resolve
from tests.convert.docs import make_docx

MB = 1024 * 1024


def zeros_member(z: zipfile.ZipFile, name: str, size: int) -> None:
    """`size` zeros deflated, streamed (never `size` bytes in memory at once)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=size > 2**31) as f:
        chunk = bytes(MB)
        for _ in range(size // MB):
            f.write(chunk)


def test_a_ratio_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        zeros_member(z, "zeros.bin", 40 * MB)  # ~40 KB on disk: 1,000 to 1
    assert path.stat().st_size < MB
    with pytest.raises(ConvertError, match="zip bomb") as err:
        open_zip(path)
    assert err.value.source == path and "zeros.bin" in err.value.reason


def test_a_docx_bomb_names_the_file(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "report.docx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        zeros_member(z, "word/media/huge.png", 120 * MB)  # 120 KB packed
    with pytest.raises(ConvertError) as err:
        convert_source(path)
    assert err.value.source == path and "zip bomb" in err.value.reason
    assert str(path) in str(err.value)


def test_a_declared_size_over_the_budget_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lie.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.txt", b"small")
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", 600 * MB)  # uncompressed size field
    with pytest.raises(ConvertError, match="600 MB"):
        open_zip(path, bytes(data))


def test_reading_measures_what_inflates(tmp_path: Path) -> None:
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("random.bin", os.urandom(2 * MB))  # incompressible: no ratio alarm
        z.writestr("small.txt", b"hello")
    with open_zip(path) as sz:
        assert sz.read("small.txt", limit=10) == b"hello"
        with pytest.raises(ConvertError, match="inflates to more than 1 MB"):
            sz.read("random.bin", limit=MB)


def test_a_header_that_lies_about_the_size_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "lie.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", b"x" * 5000)
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(sig)
        data[at + offset:at + offset + 4] = struct.pack("<I", 10)
    with open_zip(path, bytes(data)) as sz, pytest.raises(ConvertError, match="damaged"):
        sz.read("a.txt")


def test_too_many_members(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for i in range(10_001):
            z.writestr(f"f{i}", b"")
    with pytest.raises(ConvertError, match="10,001 members"):
        open_zip(path)


def test_encrypted_member(tmp_path: Path) -> None:
    path = tmp_path / "enc.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("secret.xml", b"<x/>")
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the "encrypted" flag bit
        data[data.index(sig) + offset] |= 0x1
    with pytest.raises(ConvertError, match="encrypted"):
        open_zip(path, bytes(data))


def test_not_a_zip_and_truncated(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(b"PK\x03\x04 but nothing else")
    with pytest.raises(ConvertError, match="not a valid zip"):
        open_zip(path)


def test_names_that_climb_out_are_never_served(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name in ("../evil.txt", "/abs.txt", "a/../../up.txt", "C:/win.txt", "ok/fine.txt"):
            z.writestr(name, b"x")
    with open_zip(path) as sz:
        assert sz.names() == ["ok/fine.txt"]
        with pytest.raises(ConvertError, match="no member"):
            sz.read("../evil.txt")
    assert resolve("OEBPS/text/ch1.xhtml", "../images/a%20b.png#x") == "OEBPS/images/a b.png"
    assert resolve("OEBPS/ch1.xhtml", "../../etc/passwd") == ""
    assert resolve("OEBPS/ch1.xhtml", "https://example.org/a.png") == ""


def test_xml_entities_are_refused_before_parsing(tmp_path: Path) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>')
    with pytest.raises(ConvertError, match="entities"):
        parse_xml(laughs, tmp_path / "b.epub", "OEBPS/content.opf")
    # an EPUB 2 NCX names its public DTD: that is no expansion, it parses
    ncx = (b'<?xml version="1.0"?><!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" '
           b'"http://www.daisy.org/z3986/2005/ncx-2005-1.dtd"><ncx><navMap/></ncx>')
    assert parse_xml(ncx, tmp_path / "b.epub", "toc.ncx").tag == "ncx"
    with pytest.raises(ConvertError, match="not well-formed"):
        parse_xml(b"<a><b></a>", tmp_path / "b.epub", "x.xml")
