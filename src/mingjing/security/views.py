import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mingjing.security.models import SigningKey
from mingjing.security.receipts import verify_receipt

MAX_RECEIPT_CHARS = 20_000


def receipt_verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check a receipt: paste it (and optionally the court's public key)."""
    context: dict[str, Any] = {"receipt_text": "", "public_key": "", "result": None, "error": ""}
    if request.method == "POST":
        text = request.POST.get("receipt", "")[:MAX_RECEIPT_CHARS]
        public_key = request.POST.get("public_key", "").strip()[:2000]
        context.update(receipt_text=text, public_key=public_key)
        try:
            document = json.loads(text)
        except ValueError:
            context["error"] = _("回执不是有效的 JSON，请粘贴下载的回执文件的全部内容。")
        else:
            context["result"] = verify_receipt(document, public_key or None)
    return render(request, "security/receipt_verify.html", context)


def public_keys(request: HttpRequest, court_code: str) -> HttpResponse:
    """A court's receipt-signing public keys, PEM, for verifying receipts elsewhere."""
    keys = SigningKey.objects.filter(court__code=court_code).order_by("created_at")
    if not keys:
        raise Http404("该法院尚无签名公钥")
    body = "\n".join(f"# {key.key_id}\n{key.public_key}" for key in keys)
    return HttpResponse(body, content_type="application/x-pem-file; charset=utf-8")
