"""The OpenAPI 3.1 document for /api/v1. Every field of every response is described here."""

from mingjing.cases.models import CaseStage

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_NDATE = {"type": ["string", "null"], "format": "date"}

_ERROR = {
    "type": "object",
    "description": (
        "每个错误的格式，包括未知接口（404）、不支持的方法（405）、请求体过大（413）、"
        "请求格式错误（400：非 JSON、嵌套过深、含空字符、整数超出范围、日期不存在）"
        "和服务器内部错误（500，不含调用栈）。"
    ),
    "properties": {
        "error": {**_STR, "description": "中文错误说明"},
        "otp_required": {
            "type": "boolean",
            "description": "仅换取令牌时出现：须提供有效的动态口令（otp 字段）",
        },
    },
    "required": ["error"],
}

_CASE_SUMMARY = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "description": "案件 ID"},
        "number": {**_STR, "description": "规范化案号，如（2026）豫9001民初123号"},
        "cause": {**_STR, "description": "案由"},
        "kind": {**_STR, "description": "案件类型字号，如 民初"},
        "department": {**_NSTR, "description": "承办部门"},
        "filed_on": {**_NDATE, "description": "立案日期"},
        "closed_on": {**_NDATE, "description": "结案日期"},
        "stage": {
            "type": "string",
            "enum": list(CaseStage.values),
            "description": "阶段",
        },
    },
}

_CASE_DETAIL = {
    "allOf": [
        {"$ref": "#/components/schemas/CaseSummary"},
        {
            "type": "object",
            "properties": {
                "participants": {
                    "type": "array",
                    "description": "诉讼参与人",
                    "items": {
                        "type": "object",
                        "properties": {
                            "role": {**_STR, "description": "诉讼地位代码"},
                            "name": {**_STR, "description": "姓名或名称"},
                            "law_firm": {**_STR, "description": "律师事务所或单位"},
                        },
                    },
                },
                "assignments": {
                    "type": "array",
                    "description": "办案人员",
                    "items": {
                        "type": "object",
                        "properties": {
                            "role": {**_STR, "description": "办案角色代码"},
                            "person": {**_STR, "description": "姓名"},
                            "staff_no": {**_STR, "description": "工号"},
                        },
                    },
                },
            },
        },
    ]
}

_ME = {
    "type": "object",
    "properties": {
        "username": {**_STR, "description": "用户名"},
        "name": {**_NSTR, "description": "姓名"},
        "court": {**_NSTR, "description": "法院代码"},
        "department": {**_NSTR, "description": "部门"},
        "roles": {"type": "array", "items": _STR, "description": "本院角色代码"},
    },
}


def _json(schema_ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}


_ERRORS = {
    "401": {"description": "未认证", "content": _json("Error")},
    "403": {"description": "无权限", "content": _json("Error")},
}


def _paths() -> dict:
    return {
        "/api/v1/auth/token": {
            "post": {
                "summary": "以用户名、密码（及动态口令）换取令牌",
                "security": [],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["username", "password"],
                                "properties": {
                                    "username": {**_STR, "description": "用户名"},
                                    "password": {**_STR, "description": "密码"},
                                    "otp": {
                                        **_STR,
                                        "description": "动态口令（须二次验证的角色必填）",
                                    },
                                    "name": {**_STR, "description": "令牌用途"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "新令牌（只返回这一次）",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "token": {**_STR, "description": "Bearer 令牌"},
                                        "expires_at": {
                                            **_STR,
                                            "format": "date-time",
                                            "description": "过期时间",
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "400": {"description": "请求格式错误", "content": _json("Error")},
                    **_ERRORS,
                },
            }
        },
        "/api/v1/me": {
            "get": {
                "summary": "当前账号",
                "responses": {
                    "200": {"description": "账号信息", "content": _json("Me")},
                    **_ERRORS,
                },
            }
        },
        "/api/v1/cases": {
            "get": {
                "summary": "按案号查询案件",
                "parameters": [
                    {
                        "name": "number",
                        "in": "query",
                        "schema": _STR,
                        "description": "案号或其一部分",
                    }
                ],
                "responses": {
                    "200": {
                        "description": "至多 50 件",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "results": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/CaseSummary"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    **_ERRORS,
                },
            }
        },
        "/api/v1/cases/{case_id}": {
            "get": {
                "summary": "案件详情",
                "parameters": [
                    {
                        "name": "case_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": {"description": "案件", "content": _json("CaseDetail")},
                    "404": {"description": "不存在或不在本院", "content": _json("Error")},
                    **_ERRORS,
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "summary": "本接口文档（OpenAPI 3.1）",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 文档",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }


def openapi_document() -> dict:
    from mingjing.api import declarations, records, reports

    paths, schemas = _paths(), {}
    for module in (records, declarations, reports):
        paths.update(module.OPENAPI_PATHS)
        schemas.update(module.OPENAPI_SCHEMAS)
    return {
        "openapi": "3.1.0",
        "info": {"title": "明镜 Mingjing API", "version": "1"},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": _ERROR,
                "Me": _ME,
                "CaseSummary": _CASE_SUMMARY,
                "CaseDetail": _CASE_DETAIL,
                **schemas,
            },
        },
        "security": [{"bearer": []}],
    }
