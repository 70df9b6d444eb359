"""The printable 一案一表 of a case, for binding into its secondary file (副卷): PDF and DOCX.

Contents of a record appear only when the person printing may read them (policy, through
records.selectors.record_contents, which logs each read); otherwise the form says how many
records are withheld. The PDF uses reportlab's built-in CID font STSong-Light, so no font
file has to be installed; the DOCX asks Word for 宋体 (SimSun) for East Asian text.
"""

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mingjing.cases.models import Case
from mingjing.declarations.services import (
    NONE_TEXT,
    DeclarationRow,
    case_records_for,
    declaration_rows,
)
from mingjing.records import selectors
from mingjing.records.models import Record
from mingjing.security import audit, policy
from mingjing.security.actor import Actor

CID_FONT = "STSong-Light"
DOCX_FONT, DOCX_EAST_ASIA_FONT = "SimSun", "宋体"
CONTENT_FIELDS = (
    ("subject_name", gettext_noop("过问人")),
    ("subject_unit", gettext_noop("单位")),
    ("subject_position", gettext_noop("职务")),
    ("subject_contact", gettext_noop("联系方式")),
    ("place", gettext_noop("地点")),
    ("content", gettext_noop("过问内容")),
    ("handling", gettext_noop("处理情况")),
)


@dataclass
class FormRecord:
    """One record on the form: its plain facts, and its contents when the printer may read."""

    heading: str
    contents: list[tuple[str, str]]


@dataclass
class FormEntry:
    name: str
    roles: str
    status: str
    declared_on: str
    summary: str
    records: list[FormRecord] = field(default_factory=list)
    withheld: int = 0


@dataclass
class DeclarationForm:
    court: str
    number: str
    cause: str
    department: str
    printed_at: str
    entries: list[FormEntry]
    read: int = 0
    withheld: int = 0


def build_form(actor: Actor, case: Case, *, request=None) -> DeclarationForm:
    """The form's data for the actor; each record content included is a logged read."""
    rows = declaration_rows(actor, case)
    handlers = frozenset(row.declaration.person_id for row in rows)
    if not policy.may_print_declarations(actor, case, handler_ids=handlers):
        raise PermissionDenied(_("您无权打印本案的一案一表。"))
    form = DeclarationForm(
        court=case.court.name,
        number=case.number,
        cause=case.cause or "—",
        department=case.department.name if case.department else "—",
        printed_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        entries=[],
    )
    records = case_records_for(actor, case).order_by("occurred_at")
    for row in rows:
        form.entries.append(_entry(actor, row, records, form, request))
    return form


def _entry(actor: Actor, row: DeclarationRow, records, form: DeclarationForm, request) -> FormEntry:
    declaration = row.declaration
    declared = declaration.declared_at
    entry = FormEntry(
        name=row.person.name,
        roles="、".join(row.roles) or "—",
        status=str(declaration.get_status_display()),
        declared_on=timezone.localtime(declared).strftime("%Y-%m-%d") if declared else "—",
        summary=_summary(row),
    )
    if declaration.status == "pending" or declaration.none_to_report:
        return entry
    for record in records.filter(recorder_id=declaration.person_id):
        _add_record(actor, record, entry, form, request)
    return entry


def _summary(row: DeclarationRow) -> str:
    if row.is_pending:
        return _("尚未填报")
    if row.declaration.none_to_report:
        return _(NONE_TEXT)
    return _("有 %(count)s 条记录") % {"count": row.record_count or 0}


def _add_record(actor: Actor, record: Record, entry: FormEntry, form, request) -> None:
    if not selectors.may_read(actor, record):
        entry.withheld += 1
        form.withheld += 1
        return
    contents = selectors.record_contents(actor, record, request=request)
    when = timezone.localtime(record.occurred_at).strftime("%Y-%m-%d %H:%M")
    # STSong-Light has no "·": an ideographic space separates the facts.
    heading = f"{when}　{record.get_behaviour_display()}　{record.get_manner_display()}"
    pairs = [(_(label), str(contents.get(key) or "—")) for key, label in CONTENT_FIELDS]
    entry.records.append(FormRecord(heading, pairs))
    form.read += 1


def log_print(actor: Actor, case: Case, form: DeclarationForm, fmt: str, request=None) -> None:
    detail = {"case": case.id, "format": fmt, "read": form.read, "withheld": form.withheld}
    log = {"actor": actor, "obj": case, "detail": detail, "request": request}
    audit.log_event(action="declarations.print", **log)


def filename(case: Case, ext: str) -> str:
    return f"declarations-{case.id}.{ext}"


# --- Shared wording ------------------------------------------------------------------------


def title() -> str:
    return _("防止干预司法“三个规定”一案一表")


def header_lines(form: DeclarationForm) -> list[tuple[str, str]]:
    return [
        (_("案号"), form.number),
        (_("案由"), form.cause),
        (_("承办部门"), form.department),
        (_("打印时间"), form.printed_at),
    ]


def withheld_text(count: int) -> str:
    return _("内容保密（共 %(count)s 条记录）") % {"count": count}


def signature_text() -> str:
    return _("办案人员签名：＿＿＿＿＿＿　部门负责人签名：＿＿＿＿＿＿　日期：＿＿年＿＿月＿＿日")


def entry_heading(entry: FormEntry) -> str:
    return _("%(name)s（%(roles)s）　%(status)s　填报日期 %(date)s") % {
        "name": entry.name,
        "roles": entry.roles,
        "status": entry.status,
        "date": entry.declared_on,
    }


# --- PDF -----------------------------------------------------------------------------------


def render_pdf(form: DeclarationForm) -> bytes:
    """An A4 PDF of the form in STSong-Light (a CID font every PDF reader has)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    margins = {key: 19 * mm for key in ("leftMargin", "rightMargin", "topMargin", "bottomMargin")}
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title(), author=form.court, **margins)
    document.build(_pdf_story(form))
    return buffer.getvalue()


def _pdf_styles() -> dict:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    base = ParagraphStyle("base", fontName=CID_FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "court": ParagraphStyle("court", parent=base, fontSize=12, alignment=1),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=16, leading=24, alignment=1, spaceAfter=8
        ),
        "entry": ParagraphStyle("entry", parent=base, fontSize=11.5, spaceBefore=10, spaceAfter=4),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9.5, leading=14, leftIndent=12),
    }


def _p(text: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


def _pdf_story(form: DeclarationForm) -> list:
    from reportlab.platypus import Spacer

    styles = _pdf_styles()
    story = [_p(form.court, styles["court"]), _p(title(), styles["title"])]
    story.append(_pdf_facts(form, styles))
    for entry in form.entries:
        story += _pdf_entry(entry, styles)
    story += [Spacer(1, 28), _p(signature_text(), styles["body"])]
    return story


def _pdf_facts(form: DeclarationForm, styles):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    body = styles["body"]
    rows = [[_p(label, body), _p(value, body)] for label, value in header_lines(form)]
    table = Table(rows, colWidths=[70, 380])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    return table


def _pdf_entry(entry: FormEntry, styles) -> list:
    story = [_p(entry_heading(entry), styles["entry"]), _p(entry.summary, styles["body"])]
    for record in entry.records:
        story.append(_p(record.heading, styles["body"]))
        story += [_p(f"{label}：{value}", styles["small"]) for label, value in record.contents]
    if entry.withheld:
        story.append(_p(withheld_text(entry.withheld), styles["body"]))
    return story


# --- DOCX ----------------------------------------------------------------------------------


def render_docx(form: DeclarationForm) -> bytes:
    """An A4 Word document of the form, East Asian text in 宋体."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    _docx_font(document.styles["Normal"])
    for text, size in ((form.court, 12), (title(), 16)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _docx_run(paragraph, text, size=size, bold=size > 12)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in header_lines(form):
        cells = table.add_row().cells
        _docx_run(cells[0].paragraphs[0], label)
        _docx_run(cells[1].paragraphs[0], value)
    for entry in form.entries:
        _docx_entry(document, entry)
    document.add_paragraph()
    _docx_run(document.add_paragraph(), signature_text())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_entry(document, entry: FormEntry) -> None:
    _docx_run(document.add_paragraph(), entry_heading(entry), bold=True)
    _docx_run(document.add_paragraph(), entry.summary)
    for record in entry.records:
        _docx_run(document.add_paragraph(), record.heading)
        for label, value in record.contents:
            _docx_run(document.add_paragraph(), f"{label}：{value}", size=9.5)
    if entry.withheld:
        _docx_run(document.add_paragraph(), withheld_text(entry.withheld))


def _docx_font(target) -> None:
    """Latin font and, through w:eastAsia, the East Asian font of a style or a run."""
    from docx.oxml.ns import qn

    target.font.name = DOCX_FONT
    r_pr = target.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), DOCX_EAST_ASIA_FONT)


def _docx_run(paragraph, text: str, *, size: float = 10.5, bold: bool = False) -> None:
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    _docx_font(run)
