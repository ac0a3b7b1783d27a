"""Make a 'scanned' report: text rendered to an image, slightly rotated, with noise and JPEG blur."""

from __future__ import annotations

import io
import os
from typing import Any

import numpy as np


def _font(size: int) -> Any:
    import matplotlib
    from PIL import ImageFont

    path = os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf", "DejaVuSans.ttf")
    return ImageFont.truetype(path, size)


def scan_image(text: str, noise: float = 18.0, angle: float = 0.8, seed: int = 7, size: int = 30) -> Any:
    """A greyscale PIL image of `text` as a phone photo / scan might look (deterministic for a seed)."""
    from PIL import Image, ImageDraw

    lines = text.splitlines()
    font = _font(size)
    height = 120 + int(size * 1.6) * len(lines)
    image = Image.new("L", (1700, height), 250)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((90, 60 + int(size * 1.6) * n), line, fill=25, font=font)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=235, expand=True)
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, noise, (image.height, image.width))
    speckles = rng.random((image.height, image.width)) < 0.002
    pixels[speckles] = 0
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=60)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def scan_bytes(text: str, fmt: str = "PNG", **kwargs: float) -> bytes:
    """The scanned image as PNG/JPEG bytes, or as a one-page image-only PDF (fmt="PDF")."""
    image = scan_image(text, **kwargs)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"resolution": 200.0} if fmt == "PDF" else {}))
    return buffer.getvalue()
