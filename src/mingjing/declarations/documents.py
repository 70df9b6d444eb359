"""The printable 一案一表 of a case, for binding into its secondary file (副卷): PDF and DOCX.

Contents of a record appear only when the person printing may read them (policy, through
records.selectors.record_dossier, which logs each read): then with its corrections
(amendments) and attachment names; otherwise the form says how many records are withheld.
The whole-case form shows every handler; the binding copy (入卷件) is one handler's form,
complete, printed by that handler or, when he cannot, by the custodian or the approver
(docs/declarations.md). The PDF embeds a TrueType CJK font (mingjing.pdf); the DOCX asks
Word for 宋体 (SimSun) for East Asian text.
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
from mingjing.pdf import cjk_font
from mingjing.records import selectors
from mingjing.records.models import Record
from mingjing.security import audit, policy
from mingjing.security.actor import Actor

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
    amendments: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


@dataclass
class FormEntry:
    person_id: int
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
    binding: bool = False


def _allowed_rows(actor: Actor, case: Case, handler_id: int | None) -> list[DeclarationRow]:
    rows = declaration_rows(actor, case)
    handlers = frozenset(row.declaration.person_id for row in rows)
    if handler_id is None:
        allowed = policy.may_print_declarations(actor, case, handler_ids=handlers)
    else:
        allowed = policy.may_print_binding_copy(
            actor, case, person_id=handler_id, handler_ids=handlers
        )
        rows = [row for row in rows if row.declaration.person_id == handler_id]
    if not allowed:
        raise PermissionDenied(_("您无权打印本案的一案一表。"))
    return rows


def build_form(
    actor: Actor, case: Case, *, request=None, handler_id: int | None = None
) -> DeclarationForm:
    """The form's data for the actor; each record content included is a logged read.

    With `handler_id`, the binding copy of that handler's declaration alone (入卷件)."""
    rows = _allowed_rows(actor, case, handler_id)
    form = DeclarationForm(
        court=case.court.name,
        number=case.number,
        cause=case.cause or "—",
        department=case.department.name if case.department else "—",
        printed_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        entries=[],
        binding=handler_id is not None,
    )
    records = case_records_for(actor, case).order_by("occurred_at")
    for row in rows:
        form.entries.append(_entry(actor, row, records, form, request))
    return form


def _entry(actor: Actor, row: DeclarationRow, records, form: DeclarationForm, request) -> FormEntry:
    declaration = row.declaration
    declared = declaration.declared_at
    entry = FormEntry(
        person_id=row.person.id,
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
    dossier = selectors.record_dossier(actor, record, request=request)
    contents = dossier["contents"]
    when = timezone.localtime(record.occurred_at).strftime("%Y-%m-%d %H:%M")
    # An ideographic space separates the facts (the fallback font STSong-Light has no "·").
    heading = f"{when}　{record.get_behaviour_display()}　{record.get_manner_display()}"
    pairs = [(_(label), str(contents.get(key) or "—")) for key, label in CONTENT_FIELDS]
    names = "、".join(str(a.get("name", "")) for a in dossier["attachments"])
    if names:
        pairs.append((_("附件"), names))
    amendments = [_amendment_lines(a) for a in dossier["amendments"]]
    entry.records.append(FormRecord(heading, pairs, amendments))
    form.read += 1


def _amendment_lines(amendment: dict) -> tuple[str, list[tuple[str, str]]]:
    when = timezone.localtime(amendment["created_at"]).strftime("%Y-%m-%d %H:%M")
    lines = [
        (_("更正事由"), str(amendment.get("reason") or "—")),
        (_("更正内容"), str(amendment.get("correction") or "—")),
    ]
    if amendment.get("subject_name"):
        lines.append((_("更正后的过问人"), str(amendment["subject_name"])))
    return _("更正（%(when)s）") % {"when": when}, lines


def log_print(actor: Actor, case: Case, form: DeclarationForm, fmt: str, request=None) -> None:
    detail = {"case": case.id, "format": fmt, "read": form.read, "withheld": form.withheld}
    if form.binding:
        detail["binding"] = [entry.person_id for entry in form.entries]
    log = {"actor": actor, "obj": case, "detail": detail, "request": request}
    audit.log_event(action="declarations.print", **log)


def filename(case: Case, ext: str, handler_id: int | None = None) -> str:
    if handler_id is not None:
        return f"declaration-{case.id}-{handler_id}.{ext}"
    return f"declarations-{case.id}.{ext}"


# --- Shared wording ------------------------------------------------------------------------


def title(form: DeclarationForm | None = None) -> str:
    if form is not None and form.binding:
        return _("防止干预司法“三个规定”一案一表（入卷件）")
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


def withheld_note(form: DeclarationForm) -> str:
    """Where the complete form comes from, when this one withholds records."""
    if form.binding:
        return _("本表不完整，不能入卷：请记录人本人或院管理员打印入卷件。")
    return _("入卷件（含全部内容和更正）由每位办案人员本人打印，或由院管理员代为打印。")


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
    """An A4 PDF of the form, its CJK font embedded (mingjing.pdf)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    margins = {key: 19 * mm for key in ("leftMargin", "rightMargin", "topMargin", "bottomMargin")}
    info = {"title": title(form), "author": form.court}
    document = SimpleDocTemplate(buffer, pagesize=A4, **info, **margins)
    document.build(_pdf_story(form))
    return buffer.getvalue()


def _pdf_styles() -> dict:
    from reportlab.lib.styles import ParagraphStyle

    font = cjk_font().name
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
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
    story = [_p(form.court, styles["court"]), _p(title(form), styles["title"])]
    story.append(_pdf_facts(form, styles))
    for entry in form.entries:
        story += _pdf_entry(entry, styles)
    if form.withheld:
        story.append(_p(withheld_note(form), styles["entry"]))
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
        for heading, lines in record.amendments:
            story.append(_p(heading, styles["small"]))
            story += [_p(f"{label}：{value}", styles["small"]) for label, value in lines]
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
    for text, size in ((form.court, 12), (title(form), 16)):
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
    if form.withheld:
        _docx_run(document.add_paragraph(), withheld_note(form), bold=True)
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
        for heading, lines in record.amendments:
            _docx_run(document.add_paragraph(), heading, size=9.5, bold=True)
            for label, value in lines:
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
