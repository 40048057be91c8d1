"""Plain text -> briefing: encodings, detected headings, byline and date, the text word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.content.parser import parse_briefing
from reader.content.render import section_plain_text
from reader.convert import Converted, ConvertError, Source, convert_source
from reader.convert.text import convert, split_blocks

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "text"
SEED_NAME = "000_80d8f4647ae1329b.txt"
SEED_PLACES = [Path(__file__).resolve().parents[3] / "shared" / "source" / SEED_NAME,
               Path("/tmp/shared/source") / SEED_NAME]
SEED_TITLE = "Iran And Russia: Today's Top News Stories"
SEED_SECTIONS = [
    "Deepening Ties: A Strategic Partnership",
    "Military Cooperation: More Than Just Drills",
    "Economic Synergies: Navigating Sanctions Together",
    "Geopolitical Alignments: A United Front?",
    "Countering Western Influence: A Shared Objective",
    "Regional Stability and Security: Divergent Interests?",
    "Looking Ahead: The Future of Iran-Russia Relations",
    "Challenges and Opportunities",
    "The Global Impact",
]


def words(text: str) -> list[str]:
    return text.split()


def txt(tmp_path: Path, text: str | bytes, name: str = "doc.txt") -> Converted:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return convert_source(path)


def written(c: Converted, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The converted briefing written and parsed back; it must have no problems."""
    path = c.write(tmp_path / "out")
    briefing, problems = parse_briefing(path)
    assert problems == [], [str(p) for p in problems]
    assert briefing is not None
    return briefing


def check_seed(source: Path, tmp_path: Path) -> None:
    c = convert_source(source)
    assert c.format == "txt" and c.encoding == "utf-8" and c.warnings == []
    assert c.title == SEED_TITLE
    assert c.author == "Jhon Lennon"
    assert [(p.level, p.title) for p in c.parts] == [(1, t) for t in SEED_SECTIONS]
    assert "That's a wrap for today's look" in c.parts[-1].markdown

    briefing = written(c, tmp_path)
    assert briefing.title == SEED_TITLE and briefing.meta.author == "Jhon Lennon"
    sections = list(briefing.sections())
    assert [s.title for s in sections[1:]] == SEED_SECTIONS
    assert all(s.level == 2 for s in sections[1:])
    blocks = [" ".join(b) for b in split_blocks(source.read_text(encoding="utf-8"))]
    assert blocks[0] == SEED_TITLE and blocks[1].startswith("by Jhon Lennon")
    paragraphs = [b for b in blocks[2:] if b not in SEED_SECTIONS]
    rendered = [section_plain_text(s) for s in sections]
    assert words(" ".join(rendered)) == words(" ".join(paragraphs))
    for paragraph in paragraphs:  # each one whole, in one section
        assert any(" ".join(words(paragraph)) in " ".join(words(r)) for r in rendered), paragraph[:60]


def test_seed_article_copy(tmp_path: Path) -> None:
    check_seed(FIXTURES / "seed-article.txt", tmp_path)


def test_seed_article_in_shared_source(tmp_path: Path) -> None:
    source = next((p for p in SEED_PLACES if p.is_file()), None)
    if source is None:
        pytest.skip(f"the shared source {SEED_NAME} is not beside the checkout "
                    f"(looked in {', '.join(str(p.parent) for p in SEED_PLACES)}); "
                    "test_seed_article_copy tests the copy in fixtures/text")
    check_seed(source, tmp_path)
    assert source.read_bytes() == (FIXTURES / "seed-article.txt").read_bytes()


def test_underlined_headings(tmp_path: Path) -> None:
    c = txt(tmp_path, "Annual Report\n=============\n\nIntro text here.\n\n"
                      "Finances\n--------\n\nMoney was spent.\n\nStaff\n-----\nSome people left.\n"
                      "More left later.\n\nOutlook\n-------\n\nGood.\n")
    assert c.title == "Annual Report"
    assert c.intro == "Intro text here."
    assert [(p.level, p.title) for p in c.parts] == [(2, "Finances"), (2, "Staff"), (2, "Outlook")]
    assert c.parts[1].markdown == "Some people left.\nMore left later."
    b = written(c, tmp_path)
    assert [s.title for s in b.sections()][1:] == ["Finances", "Staff", "Outlook"]


def test_underlined_peers_are_no_title(tmp_path: Path) -> None:
    c = txt(tmp_path, "A. History\n==========\n\nLong ago.\n\nB. Terms\n========\n\nThe terms.\n\n"
                      "Part One\n--------\n\nFirst.\n")
    assert c.title == "doc"  # none in the text: finish() names it after the file
    assert [(p.level, p.title) for p in c.parts] == [(1, "A. History"), (1, "B. Terms"), (2, "Part One")]


def test_numbered_headings_have_levels(tmp_path: Path) -> None:
    c = txt(tmp_path, "Design Notes\n\nWhat this is about.\n\n1. Introduction\n\nFirst words.\n\n"
                      "1.1 Scope\n\nWhat is in.\n\n1.2 Limits\n\nWhat is out.\n\n"
                      "1.2.1 Hard Limits\n\nNever.\n\n2. Method\n\nHow.\n")
    assert c.title == "Design Notes"
    assert [(p.level, p.title) for p in c.parts] == [
        (1, "1. Introduction"), (2, "1.1 Scope"), (2, "1.2 Limits"), (3, "1.2.1 Hard Limits"),
        (1, "2. Method")]
    b = written(c, tmp_path)
    assert [(s.level, s.title) for s in b.sections()][1:] == [
        (2, "1. Introduction"), (3, "1.1 Scope"), (3, "1.2 Limits"), (4, "1.2.1 Hard Limits"),
        (2, "2. Method")]


def test_all_caps_headings_and_a_date(tmp_path: Path) -> None:
    c = txt(tmp_path, "Field Report\n\nPublished: November 25, 2026\n\nBy Anna Smith\n\n"
                      "Some opening words.\n\nSUMMARY\n\nShort.\n\nDETAILS OF THE VISIT\n"
                      "\nLonger text.\n")
    assert c.title == "Field Report" and c.author == "Anna Smith"
    assert c.date == "2026-11-25" and c.date_origin == "source"
    assert c.intro == "Some opening words."
    assert [p.title for p in c.parts] == ["SUMMARY", "DETAILS OF THE VISIT"]
    assert "Published" not in c.to_markdown().split("---", 2)[2]


@pytest.mark.parametrize("line, iso", [("2026-11-25", "2026-11-25"), ("25 November 2026", "2026-11-25"),
                                       ("Nov 3, 2025", "2025-11-03")])
def test_date_lines(tmp_path: Path, line: str, iso: str) -> None:
    c = txt(tmp_path, f"A Title Here\n\n{line}\n\nBody text.\n")
    assert c.title == "A Title Here" and c.date == iso and c.intro == "Body text."


def test_nothing_else_is_removed(tmp_path: Path) -> None:
    text = ("Plain line one\n\nby the way, this is text, not a byline.\n\n"
            "Another short line\n\nEnd.\n")
    c = txt(tmp_path, text)
    assert c.author == ""
    kept = [c.title, c.intro] + [p.title + " " + p.markdown for p in c.parts]
    assert words(" ".join(kept)) == words(text)


def test_russian_windows_1251(tmp_path: Path) -> None:
    text = ("Россия и Иран: главные новости\n\nАвтор текста неизвестен, но новости важны. "
            "Сегодня мы расскажем о сотрудничестве двух стран в области энергетики и торговли.\n\n"
            "Экономическое сотрудничество\n\nТорговля растёт, несмотря на санкции. Обе страны "
            "ищут новые пути для своих товаров и услуг.\n")
    c = txt(tmp_path, text.encode("windows-1251"))
    assert c.encoding == "windows-1251"
    assert "decoded as windows-1251" in c.warnings
    assert c.title == "Россия и Иран: главные новости"
    assert [p.title for p in c.parts] == ["Экономическое сотрудничество"]
    assert c.language == "ru"
    assert "Торговля растёт" in c.parts[0].markdown
    b = written(c, tmp_path)
    assert b.sections().__next__().title == c.title


def test_persian_windows_1256_and_rtl_headings(tmp_path: Path) -> None:
    # Persian as windows-1256 writes it (Arabic yeh: the Persian one is not in the code page)
    text = ("روابط ايران و روسيه\n\nاين گزارش درباره همکاري دو کشور در زمينه انرژي و تجارت است. "
            "هر دو کشور تحت تحريم هستند و به دنبال راه هاي تازه براي تجارت مي گردند.\n\n"
            "همکاري نظامي\n\nرزمايش هاي مشترک بيشتر شده است. گفتگوها درباره پهپادها ادامه دارد.\n\n"
            "چشم انداز آينده\n\nروابط دو کشور احتمالا گسترش مي يابد و چالش هاي تازه اي پيش مي آيد.\n")
    c = txt(tmp_path, text.encode("windows-1256"))
    assert c.encoding == "windows-1256" and "decoded as windows-1256" in c.warnings
    assert c.title == "روابط ايران و روسيه"
    assert [(p.level, p.title) for p in c.parts] == [(1, "همکاري نظامي"), (1, "چشم انداز آينده")]
    assert c.language == "fa"
    b = written(c, tmp_path)
    assert [s.title for s in b.sections()] == [c.title, "همکاري نظامي", "چشم انداز آينده"]


def test_arabic_windows_1256(tmp_path: Path) -> None:
    text = ("العلاقات بين البلدين\n\nهذا التقرير يتناول التعاون بين البلدين في مجالات الطاقة "
            "والتجارة والدفاع. ويواجه البلدان عقوبات دولية متزايدة منذ سنوات عديدة.\n\n"
            "التعاون العسكري\n\nتزايدت المناورات المشتركة بشكل ملحوظ خلال العام الماضي.\n")
    c = txt(tmp_path, text.encode("windows-1256"))
    assert c.encoding == "windows-1256" and c.language == "ar"
    assert c.title == "العلاقات بين البلدين" and [p.title for p in c.parts] == ["التعاون العسكري"]


def test_utf16_with_bom(tmp_path: Path) -> None:
    c = txt(tmp_path, "Notes Today\n\nThe first paragraph.\n\nPart Two\n\nMore — text.\n".encode("utf-16"))
    assert c.encoding == "UTF-16" and c.warnings == ["decoded as UTF-16"]
    assert c.title == "Notes Today" and [p.title for p in c.parts] == ["Part Two"]
    assert c.parts[0].markdown == "More — text."


def test_utf8_bom_is_no_warning(tmp_path: Path) -> None:
    c = txt(tmp_path, b"\xef\xbb\xbfHello World\n\nText here.\n")
    assert c.encoding == "utf-8" and c.warnings == [] and c.title == "Hello World"


def test_binary_refused(tmp_path: Path) -> None:
    with pytest.raises(ConvertError, match="not a text file"):
        txt(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ConvertError, match="not a text file"):
        convert(Source(tmp_path / "x.txt", "txt", bytes(range(1, 32)) * 20))


def test_markdown_characters_render_literally(tmp_path: Path) -> None:
    body = ["* not a bullet, 2 * 3 = 6 and *not emphasis*",
            "# not a heading either",
            "1. not a list item",
            "<b>not bold</b> and &amp; stays &amp; and a_b_c and [x](y)",
            "> not a quote\n- not a list\n---\n!!! note here"]
    c = txt(tmp_path, "A Plain Title\n\nIntro words.\n\nThe Section\n\n" + "\n\n".join(body) + "\n")
    assert [p.title for p in c.parts] == ["The Section"]
    b = written(c, tmp_path)
    sections = list(b.sections())
    assert len(sections) == 2
    assert words(section_plain_text(sections[1])) == words(" ".join(body))


def test_heading_rules(tmp_path: Path) -> None:
    c = txt(tmp_path, "My Title Here\n\nIntro.\n\nnot a heading in lower case\n\nText.\n\n"
                      "Is this a heading or a question?\n\nText.\n\nA Real Question?\n\nText.\n\n"
                      "Ends with a full stop.\n\nText.\n\nTwo Short Lines\n\nIn A Row\n\nText.\n")
    assert [p.title for p in c.parts] == ["A Real Question?", "In A Row"]
    assert "not a heading in lower case" in c.intro and "Two Short Lines" in c.parts[0].markdown


def test_persian_utf8_rtl_headings(tmp_path: Path) -> None:
    text = ("گزارش امروز\n\nنوشته‌ی کوتاهی درباره‌ی روابط دو کشور و همکاری‌های تازه‌ی آن‌ها.\n\n"
            "همکاری نظامی\n\nرزمایش‌های مشترک بیشتر شده است.\n\nآیا این ادامه دارد؟\n\nشاید.\n")
    c = txt(tmp_path, text)
    assert c.encoding == "utf-8" and c.warnings == [] and c.language == "fa"
    assert c.title == "گزارش امروز"
    assert [p.title for p in c.parts] == ["همکاری نظامی"]  # a question is no heading in Persian
    assert "آیا این ادامه دارد؟" in c.parts[0].markdown
    b = written(c, tmp_path)
    assert [s.title for s in b.sections()] == ["گزارش امروز", "همکاری نظامی"]


@pytest.mark.parametrize("text, encoding", [
    ("L'économie française a progressé cette année, malgré les difficultés liées à l'énergie. "
     "Les élèves étudient à l'école près de la forêt.", "windows-1252"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Česká republika je stát ve střední Evropě.",
     "windows-1250"),
    ("Россия и Иран: главные новости дня. Сегодня мы расскажем о сотрудничестве двух стран.",
     "koi8-r"),
])
def test_legacy_latin_and_cyrillic(tmp_path: Path, text: str, encoding: str) -> None:
    c = txt(tmp_path, text.encode(encoding))
    assert c.encoding == encoding and c.warnings == [f"decoded as {encoding}"]
    assert c.intro == text
