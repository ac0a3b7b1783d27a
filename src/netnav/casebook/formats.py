"""Report formats beyond text: Word .docx (python-docx), phone photos and scanned PDFs (Tesseract OCR).

OCR keeps Tesseract's word confidences (0-100): the report's mean goes into `meta["ocr_confidence"]`
and every line whose mean is below `LOW_CONFIDENCE` is listed in `meta["low_confidence_lines"]`, so
values read from it are flagged for the user to confirm. Scanned PDFs are OCRed page by page from the
images embedded in them (pypdf), so no PDF renderer is needed.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netnav.errors import BadInputError, CorruptFileError, NoTextLayerError, UnsupportedFormatError
from netnav.records.reader import SourceText, read_source, split_lines

Progress = Callable[[str, float], None]
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp", ".gif"})
DOCX_SUFFIXES = frozenset({".docx"})
LOW_CONFIDENCE = 80.0  # mean word confidence below which a line's values need the user's confirmation
LOW_CONFIDENCE_NOTE = "read by OCR with low confidence: please check it against the report"
Meta = dict[str, float | str]


class OcrUnavailableError(BadInputError):
    """Tesseract is not installed, so scanned reports and photos cannot be read."""


def tesseract_missing_message() -> str:
    return (
        "this report is a scan or photo and needs OCR, but Tesseract is not installed; install it with "
        "`sudo apt-get install tesseract-ocr` (Debian/Ubuntu) or `make ocr-deps`, then try again"
    )


def _tesseract() -> Any:
    try:
        import pytesseract
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise OcrUnavailableError(tesseract_missing_message()) from exc
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrUnavailableError(tesseract_missing_message())
    return pytesseract


def _prepare(image: Any) -> Any:
    """Greyscale, and upscale small photos (Tesseract reads ~300 dpi text best)."""
    from PIL import ImageOps

    img = ImageOps.exif_transpose(image).convert("L")
    if img.width < 1600:
        factor = 1600 / img.width
        img = img.resize((1600, int(img.height * factor)))
    return img


def ocr_image(image: Any) -> list[tuple[str, float]]:
    """(line text, mean word confidence) for each text line Tesseract finds, top to bottom."""
    tess = _tesseract()
    data = tess.image_to_data(_prepare(image), lang="eng", config="--psm 6", output_type=tess.Output.DICT)
    lines: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    for i, word in enumerate(data["text"]):
        if not str(word).strip():
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append((str(word), float(data["conf"][i])))
    out = []
    for key in sorted(lines):
        words = lines[key]
        out.append((" ".join(w for w, _ in words), sum(c for _, c in words) / len(words)))
    return out


_STRAY = re.compile(r"^[:.,;'`~_|‘’•·]+$")
_OCR_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"¢"), "c"),  # "2.5 ¢m"
    (re.compile(r"(?<=[A-Za-z]):[.,](?=\s*\d)"), ": "),  # "size:.2.5"
    (re.compile(r"(?<=\d)[:;](?=[A-Za-z%])"), " "),  # "2.5:cm"
    (re.compile(r"(?<=[A-Za-z]{2})\.(?=[a-z]{2})"), " "),  # "Date.of"
    (re.compile(r"(?<=[A-Za-z]):(?=\d)"), ": "),  # "Ki-67:12%"
)


def clean_ocr_line(text: str) -> str:
    """Undo Tesseract's usual slips on report lines: stray dots/colons between words, ¢ for c."""
    for pattern, repl in _OCR_FIXES:
        text = pattern.sub(repl, text)
    words = [w for w in text.split() if not _STRAY.fullmatch(w)]
    return " ".join(words)


def _ocr_pages(name: str, images: list[Any], progress: Progress | None) -> tuple[SourceText, Meta]:
    texts: list[str] = []
    confs: list[float] = []
    low: list[int] = []
    for n, image in enumerate(images, start=1):
        if progress:
            progress(f"OCR page {n} of {len(images)}", (n - 1) / len(images))
        for raw, conf in ocr_image(image):
            text = clean_ocr_line(raw)
            if not text:
                continue
            texts.append(text)
            confs.append(conf)
            if conf < LOW_CONFIDENCE:
                low.append(len(texts))
    if not texts:
        raise NoTextLayerError(f"{name}: OCR found no text (is the photo sharp and the right way up?)")
    meta: Meta = {
        "ocr": "tesseract",
        "ocr_confidence": round(sum(confs) / len(confs), 1),
        "low_confidence_lines": ",".join(str(i) for i in low),
    }
    return SourceText(name, tuple(texts)), meta


def _open_image(path: Path) -> Any:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(path)
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise CorruptFileError(f"{path.name}: not a readable image") from exc
    return image


def _pdf_images(path: Path) -> list[Any]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        images = []
        for page in reader.pages:
            found = [im.image for im in page.images if im.image is not None]
            if found:
                images.append(max(found, key=lambda im: im.width * im.height))
    except Exception as exc:
        raise CorruptFileError(f"{path.name}: damaged PDF ({exc})") from exc
    if not images:
        raise NoTextLayerError(f"{path.name}: the PDF has neither text nor scanned images")
    return images


def _docx_lines(path: Path) -> tuple[str, ...]:
    """Paragraphs and table rows (cells joined by ': ' or ' | ') in document order."""
    import docx
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocxDocument = docx.Document(str(path))
    except Exception as exc:
        raise CorruptFileError(f"{path.name}: not a readable Word .docx file") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.extend(split_lines(block.text))
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                lines.append(": ".join(cells) if len(cells) == 2 else " | ".join(cells))
    return tuple(lines)


def read_any(path: Path, progress: Progress | None = None) -> tuple[SourceText, Meta]:
    """Read a report in any supported format. Raises typed BadInputError subclasses."""
    suffix = path.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        return SourceText(path.name, _docx_lines(path)), {}
    if suffix == ".doc":
        raise UnsupportedFormatError(
            f"{path.name}: old Word .doc files are not read; save it as .docx or PDF"
        )
    if suffix in IMAGE_SUFFIXES:
        return _ocr_pages(path.name, [_open_image(path)], progress)
    if suffix == ".pdf":
        try:
            return read_source(path), {}
        except NoTextLayerError:
            return _ocr_pages(path.name, _pdf_images(path), progress)
    return read_source(path), {}


def image_bytes_ok(data: bytes) -> bool:
    """True when `data` opens as an image (upload sniffing)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()
    except (UnidentifiedImageError, OSError):
        return False
    return True
