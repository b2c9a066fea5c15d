"""Korean text in a PNG needs a font with Hangul on the machine that renders it; resvg draws
nothing for a character no font has, and says nothing, so devstats checks first and refuses (exit
2, naming the fix) before anything is collected or written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from devstats.cli import app
from devstats.model.errors import UsageError
from devstats.render import post
from devstats.render.charts import png
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


class Fonts:
    """This machine's fonts, as the test says they are: `draws` answers `hangul` and records
    what it was asked."""

    def __init__(self) -> None:
        self.hangul = True
        self.asked: list[str] = []

    def draws(self, text: str, *, font_family: str) -> bool:
        self.asked.append(text)
        return self.hangul


@pytest.fixture
def fonts(monkeypatch: pytest.MonkeyPatch) -> Fonts:
    fake = Fonts()
    monkeypatch.setattr(png, "draws", fake.draws)
    return fake


@pytest.mark.parametrize(("lang", "assets_format"), [("ko", "png"), ("ko", "both")])
def test_korean_png_pictures_need_a_font_that_draws_hangul(
    tmp_path: Path, fonts: Fonts, lang: str, assets_format: str
) -> None:
    korean = rendered(tmp_path, lang=lang, assets_format=assets_format)
    assert any(name.endswith(".png") for name in korean.pictures)
    assert fonts.asked == ["한글"]
    fonts.hangul = False
    with pytest.raises(UsageError) as refused:
        rendered(tmp_path, lang=lang, assets_format=assets_format)
    assert refused.value.exit_code == 2
    message = str(refused.value)
    assert "no font on this machine draws Hangul" in message
    assert "fonts-noto-cjk" in message and "--assets-format svg" in message


def test_english_or_svg_pictures_need_no_hangul_font(tmp_path: Path, fonts: Fonts) -> None:
    fonts.hangul = False
    assert any(
        p.endswith(".png") for p in rendered(tmp_path, lang="en", assets_format="png").pictures
    )
    assert rendered(tmp_path, lang="ko", assets_format="svg").pictures
    assert fonts.asked == []


def test_the_run_refuses_before_collecting_or_writing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fonts: Fonts
) -> None:
    fonts.hangul = False
    monkeypatch.chdir(tmp_path)
    for key in ("DEVSTATS_NOW", "DEVSTATS_CASSETTES", "GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    result = CliRunner().invoke(
        app,
        ["2022", "--user", "kozistr", "--package", "pytorch_optimizer", "--offline", "--lang",
         "ko", "--assets", "img", "--assets-format", "png", "--output", "post.md",
         "--history", str(tmp_path / "h.sqlite3")],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "no font on this machine draws Hangul" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no post, no pictures, no store
    fonts.hangul = True
    result = CliRunner().invoke(
        app,
        ["2022", "--user", "kozistr", "--package", "pytorch_optimizer", "--offline", "--lang",
         "ko", "--assets", "img", "--assets-format", "png", "--output", "post.md"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "img").iterdir())[0].endswith(".png")
