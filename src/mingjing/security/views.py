import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mingjing.security.models import SigningKey
from mingjing.security.receipts import (
    MAX_RECEIPT_FILE_BYTES,
    local_time_text,
    read_receipt_file,
    verify_receipt,
)

MAX_RECEIPT_CHARS = 20_000


def _signed_facts(document: dict[str, Any]) -> list[tuple[str, str]]:
    """What a valid receipt's signature covers, for the person checking it to compare."""
    payload = document["payload"]
    return [
        (_("法院"), str(payload.get("court", ""))),
        (_("记录编号"), str(payload.get("object_id", ""))),
        (_("提交时间"), local_time_text(payload.get("submitted_at"))),
        (_("内容摘要"), str(payload.get("digest", ""))),
        (_("审计链位置"), str(payload.get("chain_seq", ""))),
        (_("签名密钥"), str(payload.get("key_id", ""))),
    ]


def _posted_document(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any] | None:
    """The receipt from the uploaded file if there is one, else from the pasted text; None
    (with context["error"] set) when neither holds one."""
    upload = request.FILES.get("receipt_file")
    if upload is not None:
        if upload.size is not None and upload.size > MAX_RECEIPT_FILE_BYTES:
            context["error"] = _("文件过大：回执文件不超过 2 MB。")
            return None
        found = read_receipt_file(upload.read(MAX_RECEIPT_FILE_BYTES + 1))
        context["error"] = _(found.error) if found.error else ""
        return found.document
    text = context["receipt_text"]
    if not text.strip():
        context["error"] = _("请上传回执文件（JSON 或 PDF），或粘贴回执全文。")
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        context["error"] = _("回执不是有效的 JSON，请粘贴下载的回执文件的全部内容。")
        return None
    return document if isinstance(document, dict) else {}


def receipt_verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check a receipt: upload the file (JSON or PDF) or paste it, and optionally
    give the court's public key."""
    context: dict[str, Any] = {"receipt_text": "", "public_key": "", "result": None, "error": ""}
    if request.method == "POST":
        text = request.POST.get("receipt", "")[:MAX_RECEIPT_CHARS]
        public_key = request.POST.get("public_key", "").strip()[:2000]
        context.update(receipt_text=text, public_key=public_key)
        document = _posted_document(request, context)
        if document is not None:
            result = verify_receipt(document, public_key or None)
            context["result"] = result
            context["facts"] = _signed_facts(document) if result.valid else []
    return render(request, "security/receipt_verify.html", context)


def public_keys(request: HttpRequest, court_code: str) -> HttpResponse:
    """A court's receipt-signing public keys, PEM, for verifying receipts elsewhere."""
    keys = SigningKey.objects.filter(court__code=court_code).order_by("created_at")
    if not keys:
        raise Http404("该法院尚无签名公钥")
    body = "\n".join(f"# {key.key_id}\n{key.public_key}" for key in keys)
    return HttpResponse(body, content_type="application/x-pem-file; charset=utf-8")
