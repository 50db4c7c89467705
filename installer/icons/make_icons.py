"""Draw the program icon (社 on a red rounded square) with the bundled CJK font.

Writes shequ-desktop.png (256 px, Linux .desktop) and shequ-desktop.ico (16–256 px, Windows exe and
installer) next to this file. The outputs are committed; rerun only to change the design:
    .venv/bin/python installer/icons/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent.parent / "resources" / "fonts" / "wqy-microhei.ttc"


def draw(size: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = size // 16
    d.rounded_rectangle((pad, pad, size - pad, size - pad), radius=size // 6, fill=(196, 30, 36, 255))
    font = ImageFont.truetype(str(FONT), int(size * 0.62))
    d.text((size / 2, size / 2 + size * 0.02), "社", font=font, fill=(255, 255, 255, 255), anchor="mm")
    return img


def main() -> None:
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(HERE / "shequ-desktop.png")
    big.resize((256, 256), Image.LANCZOS).save(
        HERE / "shequ-desktop.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
