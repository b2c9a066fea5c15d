"""Korean text in a PNG needs a font with Hangul on the machine that renders it; resvg draws
nothing for a character no font has, and says nothing, so devstats checks and tells the operator."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstats.render import post
from devstats.render.charts.png import draws
from devstats.render.charts.svg_text import FONT_STACK
from devstats.render.post import RenderOptions
from tests.fakes.report_factory import sample_report

# A face with Latin letters and no Hangul, where the machine has it (Debian and Ubuntu do).
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_with_no_font_at_all_nothing_is_drawn() -> None:
    assert not draws("A", font_family=FONT_STACK, skip_system_fonts=True)
    assert not draws("한글", font_family=FONT_STACK, skip_system_fonts=True)


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed here")
def test_a_latin_face_draws_latin_letters_and_no_hangul() -> None:
    fonts = {"skip_system_fonts": True, "font_files": [str(DEJAVU)]}
    assert draws("A", font_family=FONT_STACK, **fonts)
    assert not draws("한글", font_family=FONT_STACK, **fonts)


def rendered(tmp_path: Path, *, lang: str, assets_format: str) -> post.Rendered:
    options = RenderOptions(lang=lang, assets_format=assets_format)
    return post.render_outputs(
        sample_report(), options, asset_link=lambda name: (tmp_path / name).as_posix()
    )


@pytest.mark.parametrize("hangul_font", [True, False])
def test_korean_png_pictures_without_a_hangul_font_get_a_note_for_the_operator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hangul_font: bool
) -> None:
    asked: list[str] = []

    def fake_draws(text: str, *, font_family: str) -> bool:
        asked.append(text)
        return hangul_font

    monkeypatch.setattr(post, "draws", fake_draws)
    korean = rendered(tmp_path, lang="ko", assets_format="png")
    assert any(name.endswith(".png") for name in korean.pictures)
    assert asked == ["한글"]
    if hangul_font:
        assert korean.notes == ()
    else:
        (note,) = korean.notes
        assert note.code == "pictures-hangul-missing" and note.audience == "operator"
        (line,) = post.operator_lines(korean.notes, {"LANG": "en_US.UTF-8"})
        assert "no font on this machine draws Hangul" in line and "fonts-noto-cjk" in line
        (line,) = post.operator_lines(korean.notes, {"LANG": "ko_KR.UTF-8"})
        assert "한글을 그릴 글꼴이 없어서" in line
    # English pictures, or SVG ones (the viewer's fonts draw them), need no check
    asked.clear()
    assert rendered(tmp_path, lang="en", assets_format="png").notes == ()
    assert rendered(tmp_path, lang="ko", assets_format="svg").notes == ()
    assert asked == []
