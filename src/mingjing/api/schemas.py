"""What /api/v1 accepts and answers, as pydantic schemas: the handlers validate requests with
these and the OpenAPI document is generated from them (api.v1). A record's limits
come from records.rules (as the web form's do), the rest from api.limits."""

from datetime import datetime
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator

from mingjing.api.limits import MONTH_PATTERN
from mingjing.cases.models import CaseStage
from mingjing.declarations.models import DeclarationStatus
from mingjing.records.models import (
    Behaviour,
    Category,
    Manner,
    RecordStatus,
    SubjectKind,
)
from mingjing.records.occurred import EARLIEST_YEAR, occurred_at_problem
from mingjing.records.rules import (
    AMENDMENT_FIELDS,
    CASE_NUMBER_CHARS,
    MAX_CASE_NUMBERS,
    TEXT_FIELDS,
)
from mingjing.reporting.models import PersonalStatus, ReportKind


def _one_of(choices) -> object:
    """A Literal of a TextChoices' values: an "enum" in the schema, compared as plain strings."""
    return Literal.__getitem__(tuple(choices.values))


def _text(limit: int, description: str) -> object:
    return Annotated[StrictStr, Field(max_length=limit, description=description)]


def _is(kind: object, description: str, **extra) -> object:
    return Annotated[kind, Field(description=description, **extra)]


Time = _is(str, "", json_schema_extra={"format": "date-time"})
NTime = Annotated[str | None, Field(json_schema_extra={"format": "date-time"})]
NDate = Annotated[str | None, Field(json_schema_extra={"format": "date"})]
Month = Annotated[str, Field(pattern=MONTH_PATTERN, description="月份 YYYY-MM")]


class Input(Schema):
    """A request body: unknown fields are refused (400, 未知字段)."""

    model_config = ConfigDict(extra="forbid")


# --- Errors --------------------------------------------------------------------------------


class Error(Schema):
    """每个错误的格式，包括未知接口（404）、不支持的方法（405）、请求体过大（413）、
    请求格式错误（400：非 JSON、嵌套过深、含空字符、整数超出范围、日期不存在）
    和服务器内部错误（500，不含调用栈）。"""

    error: str = Field(description="中文错误说明")
    otp_required: bool | None = Field(
        None, description="仅换取令牌时出现：须提供有效的动态口令（otp 字段）"
    )
    fields: dict[str, str] | None = Field(
        None, description="请求内容有误时：字段名 → 中文说明（未作任何改动）"
    )


class FieldErrors(Error):
    """请求内容有误：逐字段的中文说明，未作任何改动。"""


# --- Accounts and cases --------------------------------------------------------------------


class TokenInput(Schema):
    username: StrictStr = Field("", description="用户名")
    password: StrictStr = Field("", description="密码")
    otp: StrictStr = Field("", description="动态口令（须二次验证的角色必填）")
    name: StrictStr = Field("API", max_length=100, description="令牌用途")


class Token(Schema):
    token: str = Field(description="Bearer 令牌（只返回这一次）")
    expires_at: Time = Field(description="过期时间")


class Me(Schema):
    username: str = Field(description="用户名")
    name: str | None = Field(description="姓名")
    court: str | None = Field(description="法院代码")
    department: str | None = Field(description="部门")
    roles: list[str] = Field(description="本院角色代码")


class CaseSummary(Schema):
    id: int = Field(description="案件 ID")
    number: str = Field(description="规范化案号，如（2026）豫9001民初123号")
    cause: str = Field(description="案由")
    kind: str = Field(description="案件类型字号，如 民初")
    department: str | None = Field(description="承办部门")
    filed_on: NDate = Field(description="立案日期")
    closed_on: NDate = Field(description="结案日期")
    stage: _one_of(CaseStage) = Field(description="阶段")


class Participant(Schema):
    role: str = Field(description="诉讼地位代码")
    name: str = Field(description="姓名或名称")
    law_firm: str = Field(description="律师事务所或单位")


class Assignment(Schema):
    role: str = Field(description="办案角色代码")
    person: str = Field(description="姓名")
    staff_no: str = Field(description="工号")


class CaseDetail(CaseSummary):
    participants: list[Participant] = Field(description="诉讼参与人")
    assignments: list[Assignment] = Field(description="办案人员")


class CaseList(Schema):
    results: list[CaseSummary] = Field(description="至多 50 件")


# --- Records -------------------------------------------------------------------------------


class RecordInput(Input):
    """草稿内容。未知字段会被拒绝（400）。"""

    category: _one_of(Category) = Field(description="类别（三个规定）")
    behaviour: _one_of(Behaviour) = Field(description="行为")
    manner: _one_of(Manner) = Field(description="方式")
    subject_kind: _one_of(SubjectKind) = Field(description="过问人类型")
    occurred_at: datetime = Field(
        description=f"发生时间，不能早于 {EARLIEST_YEAR} 年、不能晚于现在；无时区时按本院时区"
    )
    subject_person_id: StrictInt | None = Field(None, description="过问人为本院人员时的人员 ID")
    case_numbers: list[Annotated[StrictStr, Field(max_length=CASE_NUMBER_CHARS)]] = Field(
        [],
        max_length=MAX_CASE_NUMBERS,
        description="涉及案件的案号，须为本院案件，如（2026）豫9001民初123号",
    )
    not_about_a_case: StrictBool = Field(
        False, description="不涉及具体案件（与案号二选一，提交时必选其一）"
    )
    off_hours_contact: StrictBool = Field(
        False, description="非工作时间或非工作场所接触当事人、律师、特殊关系人、中介组织"
    )
    subject_name: _text(TEXT_FIELDS["subject_name"], "过问人姓名") = ""
    subject_unit: _text(TEXT_FIELDS["subject_unit"], "过问人单位") = ""
    subject_position: _text(TEXT_FIELDS["subject_position"], "过问人职务") = ""
    subject_contact: _text(TEXT_FIELDS["subject_contact"], "过问人联系方式") = ""
    place: _text(TEXT_FIELDS["place"], "地点") = ""
    content: _text(TEXT_FIELDS["content"], "过问内容") = ""
    handling: _text(TEXT_FIELDS["handling"], "处理情况") = ""
    late_reason: _text(TEXT_FIELDS["late_reason"], "逾期报告的原因（逾期提交时必填）") = ""

    @field_validator("occurred_at", mode="before")
    @classmethod
    def _parse_occurred_at(cls, value: object) -> datetime:
        """An ISO 8601 string only (not a number), read as the web reads it; a naive time is
        in the court's time zone; a date that does not exist (2026-02-30) is refused."""
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(OCCURRED_AT_HELP)
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed

    @field_validator("occurred_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        if problem := occurred_at_problem(value):
            raise ValueError(problem)
        return value


OCCURRED_AT_HELP = "必填，ISO 8601 日期时间，如 2026-03-02T09:30:00+08:00。"


class SubmitInput(Input):
    late_reason: _text(TEXT_FIELDS["late_reason"], "逾期报告的原因（逾期时必填）") | None = None


class AmendmentInput(Input):
    reason: _text(AMENDMENT_FIELDS["reason"], "更正事由") = ""
    correction: _text(AMENDMENT_FIELDS["correction"], "更正内容") = ""
    subject_name: _text(
        AMENDMENT_FIELDS["subject_name"],
        "更正后的过问人姓名（可选）：同名的本院人员将不能查看此记录",
    ) = ""


class RecordSummary(Schema):
    """记录的元数据（不含内容）"""

    id: int = Field(description="记录 ID")
    status: _one_of(RecordStatus) = Field(description="状态：草稿、已提交、已甄别、已处置")
    category: _one_of(Category) = Field(description="类别（三个规定）")
    behaviour: _one_of(Behaviour) = Field(description="行为")
    manner: _one_of(Manner) = Field(description="方式")
    subject_kind: _one_of(SubjectKind) = Field(description="过问人类型")
    occurred_at: Time = Field(description="发生时间")
    submitted_at: NTime = Field(description="提交时间（草稿为 null）")
    department: str | None = Field(description="记录人部门")
    cases: list[str] = Field(description="涉及案件的案号")
    not_about_a_case: bool = Field(description="不涉及具体案件")
    off_hours_contact: bool = Field(description="非工作时间或非工作场所接触（三日内报告）")
    report_due_at: NTime = Field(description="接触报告的期限（接触后三日）")
    is_late: bool = Field(description="逾期报告")
    mine: bool = Field(description="调用者是记录人")
    contents_readable: bool = Field(description="调用者可否查阅内容（查阅会记入审计）")


class RecordContents(Schema):
    """记录内容。每次查阅均记入审计日志。"""

    model_config = ConfigDict(extra="allow")
    subject_name: str = Field("", description="过问人姓名")
    subject_unit: str = Field("", description="过问人单位")
    subject_position: str = Field("", description="过问人职务")
    subject_contact: str = Field("", description="过问人联系方式")
    subject_person_id: int | None = Field(None, description="过问人为本院人员时的人员 ID")
    place: str = Field("", description="地点")
    content: str = Field("", description="过问内容")
    handling: str = Field("", description="处理情况")
    late_reason: str = Field("", description="逾期报告的原因")


class RecordAmendment(Schema):
    """提交后追加的更正说明（原记录不变）"""

    id: int = Field(description="更正 ID")
    created_at: Time = Field(description="更正时间")
    reason: str = Field(description="更正事由")
    correction: str = Field(description="更正内容")
    subject_name: str = Field(description="更正后的过问人姓名（可为空）")


class RecordAttachment(Schema):
    """附件（文件本身在网页上下载，下载记入审计）"""

    id: int = Field(description="附件 ID")
    name: str = Field(description="文件名")
    content_type: str = Field(description="文件类型")
    size: int = Field(description="大小（字节）")


class Colleague(Schema):
    id: int
    name: str
    department: str | None


class RecordDetail(RecordSummary):
    contents: RecordContents | None = Field(description="记录内容；无权查阅时为 null")
    attachments: list[RecordAttachment]
    amendments: list[RecordAmendment]
    subject_colleagues: list[Colleague] | None = Field(
        None,
        description=(
            "仅记录人可见：过问人姓名为手填、且与本院人员同名时列出这些人员；"
            "他们都不能查看此记录。如过问人就是其中一人，请改为选择 subject_person_id。"
        ),
    )


class RecordList(Schema):
    results: list[RecordSummary]


class AmendmentList(Schema):
    results: list[RecordAmendment]


class ReceiptPayload(Schema):
    """被签名的内容"""

    model_config = ConfigDict(extra="allow")
    type: str = Field(description="回执格式，mingjing.receipt/1")
    court: str = Field(description="法院代码")
    object_type: str = Field(description="对象类型，records.Record")
    object_id: str = Field(description="记录 ID")
    submitted_at: Time = Field(description="提交时间")
    digest: str = Field(description="内容的keyed摘要（不泄露内容）")
    digest_algorithm: str = Field(description="摘要方式")
    chain_seq: int = Field(description="审计链序号")
    chain_hash: str = Field(description="审计链哈希")
    issued_at: Time = Field(description="签发时间")
    key_id: str = Field(description="签名密钥 ID")
    signature_algorithm: str = Field(description="签名算法，ed25519")


class RecordReceipt(Schema):
    """签名回执：可用本院公钥在任何地方验证"""

    payload: ReceiptPayload
    signature: str = Field(description="Base64 签名")
    public_key: str = Field(description="本院公钥（PEM）")


class RecordSubmitted(Schema):
    record: RecordSummary
    receipt: RecordReceipt


# --- 一案一表 ------------------------------------------------------------------------------


class DeclarationSummary(Schema):
    none_to_report: bool = Field(description="声明无相关情况")
    records: int = Field(description="与本案有关的已提交记录件数")


class Declaration(Schema):
    """一位办案人员的一案一表（只有状态和件数，从不含记录内容）"""

    name: str = Field(description="办案人员姓名")
    staff_no: str = Field(description="工号")
    roles: list[str] = Field(description="在本案中的办案角色")
    status: _one_of(DeclarationStatus) = Field(description="待填报、已填报、已入卷")
    declared_at: NTime = Field(description="填报时间")
    bound_at: NTime = Field(description="入卷时间")
    summary: DeclarationSummary | None = Field(
        description="填报内容概要；调用者无权查看件数或尚未填报时为 null"
    )


class CaseDeclarations(Schema):
    case_id: int = Field(description="案件 ID")
    case_number: str = Field(description="案号")
    declarations: list[Declaration]


class DeclareInput(Input):
    none_to_report: StrictBool = Field(
        description="true：无相关情况；false：申报本人与本案有关的已提交记录"
    )


class PendingHandler(Schema):
    name: str = Field(description="姓名")
    staff_no: str = Field(description="工号")
    roles: list[str] = Field(description="办案角色")


class CloseCheck(Schema):
    """能否报结：全部办案人员均已填报一案一表时 may_close 为 true"""

    case_id: int = Field(description="案件 ID")
    case_number: str = Field(description="案号")
    may_close: bool = Field(description="能否报结")
    pending: list[PendingHandler] = Field(description="尚未填报的办案人员")


# --- Monthly reports -----------------------------------------------------------------------

Kind = _is(_one_of(ReportKind), "月报告或补充报告")
Status = _is(_one_of(PersonalStatus), "已报告、已审核、已退回")


class MonthlyReport(Schema):
    """本人的一份月报告"""

    id: int = Field(description="月报告 ID")
    month: Month
    kind: Kind
    is_zero: bool = Field(description="零报告")
    status: Status
    submitted_at: NTime = Field(description="报告时间")
    is_late: bool = Field(description="逾期（截止日期后首次报告）")
    department: str | None = Field(description="报告时所在部门")
    record_ids: list[int] = Field(description="所含记录的 ID")
    reviewed_at: NTime = Field(description="审核时间")
    return_reason: str = Field(description="退回原因（退回时）")


class MonthlyReportList(Schema):
    results: list[MonthlyReport]


class MonthlyReportInput(Input):
    """填报某月报告。未知字段会被拒绝（400）。"""

    month: Annotated[StrictStr, Field(pattern=MONTH_PATTERN)] = Field(
        description="月份 YYYY-MM，不能是以后的月份"
    )
    zero: StrictBool = Field(
        False, description="零报告（本月有已提交的记录时拒绝）；月报告已提交后再报为补充报告"
    )
    affirm: StrictBool = Field(
        False,
        description=(
            "零报告须为 true：本人确认零报告声明属实（当月未结束时为“截至目前”，月末后须再确认）"
        ),
    )


class ReportCounts(Schema):
    """人数统计"""

    reported: int = Field(description="已报告的人数（截至目前的零报告确认前不计）")
    so_far: int = Field(description="截至目前零报告、待月末确认的人数")
    zero: int = Field(description="零报告人数（已确认）")
    late: int = Field(description="逾期报告人数")
    unreviewed: int = Field(description="待审核的报告数（含补充报告）")
    approved: int = Field(description="已审核通过的月报告数")
    returned: int = Field(description="已退回待重新提交的月报告数")
    missing: int = Field(description="未报告人数（按当前部门）")


class ReportPersonRow(Schema):
    """一份个人报告的状态（不含记录）"""

    person_id: int = Field(description="人员 ID")
    name: str = Field(description="姓名")
    kind: Kind
    status: Status
    is_zero: bool = Field(description="零报告")
    is_late: bool = Field(description="逾期")
    submitted_at: NTime = Field(description="报告时间")


class DepartmentRef(Schema):
    id: int = Field(description="部门 ID")
    name: str = Field(description="部门名称")


class MissingPerson(Schema):
    person_id: int = Field(description="人员 ID")
    name: str = Field(description="姓名")


class DepartmentReport(Schema):
    status: str = Field(description="submitted 已报督察室，returned 督察室退回")
    submitted_at: NTime = Field(description="报送时间")
    is_late: bool = Field(description="逾期报送")


class DepartmentMonth(Schema):
    """部门某月的报告情况：只有数字和状态"""

    department: DepartmentRef
    month: Month
    due_date: str = Field(description="截止日期", json_schema_extra={"format": "date"})
    overdue: bool = Field(description="已过截止日期")
    counts: ReportCounts
    reports: list[ReportPersonRow] = Field(description="个人报告")
    missing: list[MissingPerson] = Field(description="未报告的人员（按当前部门）")
    department_report: DepartmentReport | None = Field(description="部门月报告（未报送时为 null）")
