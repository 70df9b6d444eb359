"""The OpenAPI description of /api/v1/records (paths and schemas), merged by api.openapi."""

from mingjing.api.limits import AMENDMENT_FIELDS, CASE_NUMBER_CHARS, MAX_CASE_NUMBERS, TEXT_FIELDS
from mingjing.records.models import Behaviour, Category, Manner, RecordStatus, SubjectKind
from mingjing.records.occurred import EARLIEST_YEAR

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_TIME = {"type": "string", "format": "date-time"}
_NTIME = {"type": ["string", "null"], "format": "date-time"}
_BOOL = {"type": "boolean"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str) -> dict:
    return {"application/json": {"schema": _ref(name)}}


def _enum(choices, description: str) -> dict:
    return {"type": "string", "enum": list(choices.values), "description": description}


_SUMMARY = {
    "type": "object",
    "description": "记录的元数据（不含内容）",
    "properties": {
        "id": {"type": "integer", "description": "记录 ID"},
        "status": _enum(RecordStatus, "状态：草稿、已提交、已甄别、已处置"),
        "category": _enum(Category, "类别（三个规定）"),
        "behaviour": _enum(Behaviour, "行为"),
        "manner": _enum(Manner, "方式"),
        "subject_kind": _enum(SubjectKind, "过问人类型"),
        "occurred_at": {**_TIME, "description": "发生时间"},
        "submitted_at": {**_NTIME, "description": "提交时间（草稿为 null）"},
        "department": {**_NSTR, "description": "记录人部门"},
        "cases": {"type": "array", "items": _STR, "description": "涉及案件的案号"},
        "not_about_a_case": {**_BOOL, "description": "不涉及具体案件"},
        "off_hours_contact": {**_BOOL, "description": "非工作时间或非工作场所接触（三日内报告）"},
        "report_due_at": {**_NTIME, "description": "接触报告的期限（接触后三日）"},
        "is_late": {**_BOOL, "description": "逾期报告"},
        "mine": {**_BOOL, "description": "调用者是记录人"},
        "contents_readable": {**_BOOL, "description": "调用者可否查阅内容（查阅会记入审计）"},
    },
}

_CONTENTS = {
    "type": ["object", "null"],
    "description": "记录内容；无权查阅时为 null。每次查阅均记入审计日志。",
    "properties": {
        "subject_name": {**_STR, "description": "过问人姓名"},
        "subject_unit": {**_STR, "description": "过问人单位"},
        "subject_position": {**_STR, "description": "过问人职务"},
        "subject_contact": {**_STR, "description": "过问人联系方式"},
        "subject_person_id": {"type": "integer", "description": "过问人为本院人员时的人员 ID"},
        "place": {**_STR, "description": "地点"},
        "content": {**_STR, "description": "过问内容"},
        "handling": {**_STR, "description": "处理情况"},
        "late_reason": {**_STR, "description": "逾期报告的原因"},
    },
}

_AMENDMENT = {
    "type": "object",
    "description": "提交后追加的更正说明（原记录不变）",
    "properties": {
        "id": {"type": "integer", "description": "更正 ID"},
        "created_at": {**_TIME, "description": "更正时间"},
        "reason": {**_STR, "description": "更正事由"},
        "correction": {**_STR, "description": "更正内容"},
        "subject_name": {**_STR, "description": "更正后的过问人姓名（可为空）"},
    },
}

_ATTACHMENT = {
    "type": "object",
    "description": "附件（文件本身在网页上下载，下载记入审计）",
    "properties": {
        "id": {"type": "integer", "description": "附件 ID"},
        "name": {**_STR, "description": "文件名"},
        "content_type": {**_STR, "description": "文件类型"},
        "size": {"type": "integer", "description": "大小（字节）"},
    },
}

_DETAIL = {
    "allOf": [
        _ref("RecordSummary"),
        {
            "type": "object",
            "properties": {
                "contents": _CONTENTS,
                "attachments": {"type": "array", "items": _ref("RecordAttachment")},
                "amendments": {"type": "array", "items": _ref("RecordAmendment")},
                "subject_colleagues": {
                    "type": "array",
                    "description": (
                        "仅记录人可见：过问人姓名为手填、且与本院人员同名时列出这些人员；"
                        "他们都不能查看此记录。如过问人就是其中一人，请改为选择 subject_person_id。"
                    ),
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "name": _STR,
                            "department": {"type": ["string", "null"]},
                        },
                    },
                },
            },
        },
    ]
}

_TEXT_INPUTS = {
    "subject_name": "过问人姓名（≤100 字）",
    "subject_unit": "过问人单位（≤200 字）",
    "subject_position": "过问人职务（≤100 字）",
    "subject_contact": "过问人联系方式（≤100 字）",
    "place": "地点（≤200 字）",
    "content": "过问内容（≤5000 字）",
    "handling": "处理情况（≤5000 字）",
    "late_reason": "逾期报告的原因（≤2000 字；逾期提交时必填）",
}

_INPUT = {
    "type": "object",
    "description": "草稿内容。未知字段会被拒绝（400）。",
    "additionalProperties": False,
    "required": ["category", "behaviour", "manner", "subject_kind", "occurred_at"],
    "properties": {
        "category": _enum(Category, "类别（三个规定）"),
        "behaviour": _enum(Behaviour, "行为"),
        "manner": _enum(Manner, "方式"),
        "subject_kind": _enum(SubjectKind, "过问人类型"),
        "occurred_at": {
            **_TIME,
            "description": (
                f"发生时间，不能早于 {EARLIEST_YEAR} 年、不能晚于现在；无时区时按本院时区"
            ),
        },
        "subject_person_id": {
            "type": ["integer", "null"],
            "description": "过问人为本院人员时的人员 ID",
        },
        "case_numbers": {
            "type": "array",
            "maxItems": MAX_CASE_NUMBERS,
            "items": {**_STR, "maxLength": CASE_NUMBER_CHARS},
            "description": "涉及案件的案号，须为本院案件，如（2026）豫9001民初123号",
        },
        "not_about_a_case": {
            **_BOOL,
            "description": "不涉及具体案件（与案号二选一，提交时必选其一）",
        },
        "off_hours_contact": {
            **_BOOL,
            "description": "非工作时间或非工作场所接触当事人、律师、特殊关系人、中介组织",
        },
        **{
            name: {**_STR, "maxLength": TEXT_FIELDS[name], "description": text}
            for name, text in _TEXT_INPUTS.items()
        },
    },
}

_FIELD_ERRORS = {
    "type": "object",
    "properties": {
        "error": {**_STR, "description": "中文错误说明"},
        "fields": {
            "type": "object",
            "additionalProperties": _STR,
            "description": "字段名 → 中文说明",
        },
    },
    "required": ["error"],
}

_RECEIPT = {
    "type": "object",
    "description": "签名回执：可用本院公钥在任何地方验证",
    "properties": {
        "payload": {
            "type": "object",
            "description": "被签名的内容",
            "properties": {
                "type": {**_STR, "description": "回执格式，mingjing.receipt/1"},
                "court": {**_STR, "description": "法院代码"},
                "object_type": {**_STR, "description": "对象类型，records.Record"},
                "object_id": {**_STR, "description": "记录 ID"},
                "submitted_at": {**_TIME, "description": "提交时间"},
                "digest": {**_STR, "description": "内容的keyed摘要（不泄露内容）"},
                "digest_algorithm": {**_STR, "description": "摘要方式"},
                "chain_seq": {"type": "integer", "description": "审计链序号"},
                "chain_hash": {**_STR, "description": "审计链哈希"},
                "issued_at": {**_TIME, "description": "签发时间"},
                "key_id": {**_STR, "description": "签名密钥 ID"},
                "signature_algorithm": {**_STR, "description": "签名算法，ed25519"},
            },
        },
        "signature": {**_STR, "description": "Base64 签名"},
        "public_key": {**_STR, "description": "本院公钥（PEM）"},
    },
}

_SUBMITTED = {
    "type": "object",
    "properties": {
        "record": _ref("RecordSummary"),
        "receipt": _ref("RecordReceipt"),
    },
}

OPENAPI_SCHEMAS = {
    "RecordSummary": _SUMMARY,
    "RecordDetail": _DETAIL,
    "RecordInput": _INPUT,
    "RecordAmendment": _AMENDMENT,
    "RecordAttachment": _ATTACHMENT,
    "FieldErrors": _FIELD_ERRORS,
    "RecordReceipt": _RECEIPT,
    "RecordSubmitted": _SUBMITTED,
}

_ID = [{"name": "record_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_AUTH = {
    "401": {"description": "未认证", "content": _json("Error")},
    "403": {"description": "无权限", "content": _json("Error")},
}
_BAD = {
    "400": {
        "description": "请求内容有误（逐字段说明），未作任何改动",
        "content": _json("FieldErrors"),
    }
}
_MISSING = {"404": {"description": "记录不存在、不在本院或无权查看", "content": _json("Error")}}


def _body(name: str) -> dict:
    return {"required": True, "content": _json(name)}


def _list_of(name: str, description: str) -> dict:
    schema = {
        "type": "object",
        "properties": {"results": {"type": "array", "items": _ref(name)}},
    }
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_AMENDMENT_INPUT = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["reason", "correction"],
                "additionalProperties": False,
                "properties": {
                    "reason": {
                        **_STR,
                        "maxLength": AMENDMENT_FIELDS["reason"],
                        "description": "更正事由（≤5000 字）",
                    },
                    "correction": {
                        **_STR,
                        "maxLength": AMENDMENT_FIELDS["correction"],
                        "description": "更正内容（≤5000 字）",
                    },
                    "subject_name": {
                        **_STR,
                        "maxLength": AMENDMENT_FIELDS["subject_name"],
                        "description": "更正后的过问人姓名（可选）：同名的本院人员将不能查看此记录",
                    },
                },
            }
        }
    },
}

_SUBMIT_INPUT = {
    "required": False,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "late_reason": {
                        **_STR,
                        "maxLength": TEXT_FIELDS["late_reason"],
                        "description": "逾期报告的原因（逾期时必填）",
                    },
                },
            }
        }
    },
}

OPENAPI_PATHS = {
    "/api/v1/records": {
        "get": {
            "summary": "我可见的记录（元数据，最新的 100 条）",
            "responses": {"200": _list_of("RecordSummary", "记录列表"), **_AUTH},
        },
        "post": {
            "summary": "新建草稿",
            "requestBody": _body("RecordInput"),
            "responses": {
                "201": {"description": "草稿", "content": _json("RecordSummary")},
                **_BAD,
                **_AUTH,
            },
        },
    },
    "/api/v1/records/{record_id}": {
        "get": {
            "summary": "一条记录；有权时含内容（查阅记入审计）",
            "parameters": _ID,
            "responses": {
                "200": {"description": "记录", "content": _json("RecordDetail")},
                **_MISSING,
                **_AUTH,
            },
        },
        "put": {
            "summary": "修改本人的草稿（整体替换）",
            "parameters": _ID,
            "requestBody": _body("RecordInput"),
            "responses": {
                "200": {"description": "草稿", "content": _json("RecordSummary")},
                "409": {"description": "已提交，不能修改", "content": _json("Error")},
                **_BAD,
                **_MISSING,
                **_AUTH,
            },
        },
    },
    "/api/v1/records/{record_id}/submit": {
        "post": {
            "summary": "提交本人的草稿，返回签名回执",
            "parameters": _ID,
            "requestBody": _SUBMIT_INPUT,
            "responses": {
                "200": {"description": "已提交", "content": _json("RecordSubmitted")},
                "409": {"description": "已经提交过了", "content": _json("Error")},
                **_BAD,
                **_MISSING,
                **_AUTH,
            },
        }
    },
    "/api/v1/records/{record_id}/amendments": {
        "get": {
            "summary": "更正说明，按时间顺序（查阅记入审计）",
            "parameters": _ID,
            "responses": {"200": _list_of("RecordAmendment", "更正说明"), **_MISSING, **_AUTH},
        },
        "post": {
            "summary": "追加更正说明（仅记录人，已提交的记录）",
            "parameters": _ID,
            "requestBody": _AMENDMENT_INPUT,
            "responses": {
                "201": {"description": "已追加", "content": _json("RecordAmendment")},
                **_BAD,
                **_MISSING,
                **_AUTH,
            },
        },
    },
}
