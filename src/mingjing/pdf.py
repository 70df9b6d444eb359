"""The CJK font of the PDFs the product renders itself (一案一表, receipts).

A PDF must carry its Chinese font: the reader's machine may have none (a court PC without
the right fonts shows boxes or a poor substitute for a font that is only named). reportlab
embeds TrueType outlines only (TTF, or one face of a TTC), not the CFF outlines of Noto CJK's
OpenType files, so the font is a TrueType one that Debian ships: AR PL UMing CN
(fonts-arphic-uming, 宋体-like), else WenQuanYi Zen Hei (fonts-wqy-zenhei). `.ci/run` installs
the first; `MINGJING_PDF_FONT` names another (`path` or `path:face-index`). With none of them
present the PDF falls back to reportlab's CID font STSong-Light, named but not embedded, and
a warning says so once.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

FONT_NAME = "MingjingCJK"
FALLBACK_FONT = "STSong-Light"
CANDIDATES = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)


@dataclass(frozen=True)
class CJKFont:
    name: str
    embedded: bool
    path: str = ""


_registered: list[CJKFont] = []


def _configured() -> list[tuple[str, int]]:
    value = getattr(settings, "PDF_FONT", "") or ""
    if not value:
        return []
    path, _sep, index = value.partition(":")
    return [(path, int(index) if index.isdigit() else 0)]


def _try_register(path: str, index: int) -> CJKFont | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if not Path(path).is_file():
        return None
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
    except (TTFError, OSError, ValueError) as exc:
        logger.warning("PDF font %s cannot be embedded: %s", path, exc)
        return None
    return CJKFont(FONT_NAME, embedded=True, path=path)


def _fallback() -> CJKFont:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    logger.warning(
        "No TrueType CJK font found (install fonts-arphic-uming or set MINGJING_PDF_FONT): "
        "PDFs name %s without embedding it and render poorly where it is missing.",
        FALLBACK_FONT,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return CJKFont(FALLBACK_FONT, embedded=False)


def cjk_font() -> CJKFont:
    """The font for Chinese text in PDFs, registered with reportlab on first use."""
    if not _registered:
        found = None
        for path, index in [*_configured(), *CANDIDATES]:
            found = _try_register(path, index)
            if found:
                break
        _registered.append(found or _fallback())
    return _registered[0]
