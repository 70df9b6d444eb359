"""The recorder's receipt as people use it: a page and a printable PDF (issue 10, point 9).

Both show what the signature covers (court, record, submission time in the court's time zone,
digest, chain position, key) beside what helps the recorder find it again (recorder, cases),
and say how to verify it. The PDF carries the signed receipt itself in its keywords, so the
PDF file can be uploaded to the verify page like the JSON download. The PDF embeds its CJK
font (mingjing.pdf).
"""

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mingjing.pdf import cjk_font
from mingjing.records.models import Record
from mingjing.security import receipts
from mingjing.security.models import Receipt


@dataclass
class ReceiptSummary:
    court: str
    record_id: int
    recorder: str
    department: str
    category: str
    cases: list[str]
    submitted_at: str
    issued_at: str
    digest: str
    chain_seq: str
    chain_hash: str
    key_id: str
    signature: str
    document: dict[str, Any]
    verify_url: str
    key_url: str


def receipt_summary(
    record: Record, receipt: Receipt, *, verify_url: str, key_url: str
) -> ReceiptSummary:
    """The receipt of `record` (the recorder's own) with the facts that help him use it."""
    payload = receipt.payload
    numbers = [case.number for case in record.cases.order_by("number")]
    return ReceiptSummary(
        court=record.court.name,
        record_id=record.pk,
        recorder=f"{record.recorder.name}（{record.recorder.staff_no}）",
        department=record.department.name if record.department else "—",
        category=str(record.get_category_display()),
        cases=numbers or ([_("不涉及具体案件")] if record.not_about_a_case else []),
        submitted_at=receipts.local_time_text(payload.get("submitted_at")),
        issued_at=receipts.local_time_text(payload.get("issued_at")),
        digest=str(payload.get("digest", "")),
        chain_seq=str(payload.get("chain_seq", "")),
        chain_hash=str(payload.get("chain_hash", "")),
        key_id=str(payload.get("key_id", "")),
        signature=receipt.signature,
        document=receipts.receipt_document(receipt),
        verify_url=verify_url,
        key_url=key_url,
    )


def facts(summary: ReceiptSummary) -> list[tuple[str, str]]:
    return [
        (_("法院"), summary.court),
        (_("记录编号"), f"#{summary.record_id}"),
        (_("记录人"), summary.recorder),
        (_("部门"), summary.department),
        (_("类别"), summary.category),
        (_("涉及案件"), "、".join(summary.cases) or "—"),
        (_("提交时间"), summary.submitted_at),
        (_("回执签发时间"), summary.issued_at),
        (_("内容摘要"), summary.digest),
        (_("审计链位置"), summary.chain_seq),
        (_("审计链哈希"), summary.chain_hash),
        (_("签名密钥"), summary.key_id),
        (_("签名（Ed25519）"), summary.signature),
    ]


VERIFY_HERE = gettext_noop(
    "在本院明镜系统的“验证回执”页面（%(url)s）上传本 PDF 或下载的 JSON 回执，系统核对签名和审计链。"
)
VERIFY_ELSEWHERE = gettext_noop(
    "独立验证：从 %(url)s 取得本院公钥（Ed25519），对回执 payload 按键名排序、紧凑格式的 "
    "UTF-8 JSON 验证签名；服务器上也可运行 mingjing receipt_verify。"
)
WHAT_IS_SIGNED = gettext_noop(
    "签名覆盖法院、记录编号、提交时间、内容摘要、审计链位置和签名密钥；"
    "记录人、案件等信息供查对。回执不含记录内容。"
)


def verify_steps(summary: ReceiptSummary) -> list[str]:
    return [
        _(VERIFY_HERE) % {"url": summary.verify_url},
        _(VERIFY_ELSEWHERE) % {"url": summary.key_url},
        _(WHAT_IS_SIGNED),
    ]


def filename(summary: ReceiptSummary) -> str:
    return f"receipt-{summary.record_id}.pdf"


def render_pdf(summary: ReceiptSummary) -> bytes:
    """An A4 PDF of the receipt; the signed receipt rides along in the PDF's keywords."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    margins = {key: 19 * mm for key in ("leftMargin", "rightMargin", "topMargin", "bottomMargin")}
    info = {
        "title": _("记录提交回执"),
        "author": summary.court,
        "keywords": receipts.pdf_keywords(summary.document),
    }
    document = SimpleDocTemplate(buffer, pagesize=A4, **info, **margins)
    document.build(_story(summary))
    return buffer.getvalue()


def _styles() -> dict:
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle(
        "base", fontName=cjk_font().name, fontSize=10.5, leading=16, wordWrap="CJK"
    )
    return {
        "court": ParagraphStyle("court", parent=base, fontSize=12, alignment=1),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=16, leading=24, alignment=1, spaceAfter=8
        ),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, spaceBefore=12),
        "body": base,
    }


def _p(text: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


def _story(summary: ReceiptSummary) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    styles = _styles()
    body = styles["body"]
    rows = [[_p(label, body), _p(value, body)] for label, value in facts(summary)]
    table = Table(rows, colWidths=[90, 380])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    story = [
        _p(summary.court, styles["court"]),
        _p(_("防止干预司法“三个规定”记录提交回执"), styles["title"]),
        table,
        _p(_("如何验证"), styles["heading"]),
    ]
    story += [_p(f"{n}. {step}", body) for n, step in enumerate(verify_steps(summary), 1)]
    return story
