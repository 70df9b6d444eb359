"""Receipts: signed at submission, verifiable by anyone with the court's public key."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from mingjing.records.services import content_digest
from mingjing.security import keys, reencrypt
from mingjing.security.models import Receipt, SigningKey
from mingjing.security.receipts import receipt_document, verify_receipt


def _document(record) -> dict:
    receipt = Receipt.objects.get(object_type="records.Record", object_id=str(record.id))
    return receipt_document(receipt)


def test_submission_issues_a_receipt_naming_the_record_and_its_chain_position(records):
    document = _document(records.own)
    payload = document["payload"]
    assert payload["object_id"] == str(records.own.id)
    assert payload["court"] == records.own.court.code
    assert payload["chain_seq"] > 0 and len(payload["chain_hash"]) == 64
    assert payload["digest"] == content_digest(records.own)
    assert verify_receipt(document).valid


def test_a_draft_has_no_receipt(records):
    assert not Receipt.objects.filter(object_id=str(records.draft.id)).exists()


@pytest.mark.parametrize("field", ["object_id", "submitted_at", "digest", "chain_seq"])
def test_any_change_to_a_receipt_breaks_its_signature(records, field):
    document = _document(records.own)
    document["payload"][field] = "999999" if field != "chain_seq" else 999999
    result = verify_receipt(document)
    assert not result.valid
    assert "签名无效" in result.message


def test_a_receipt_verifies_with_the_published_public_key_alone(records):
    document = _document(records.own)
    pem = SigningKey.objects.get(key_id=document["payload"]["key_id"]).public_key
    assert verify_receipt(document, pem, check_chain=False).valid


def test_a_receipt_signed_by_another_key_is_refused(records):
    document = _document(records.own)
    other_court_key = SigningKey.objects.get(court=records.other_court.court).public_key
    assert not verify_receipt(document, other_court_key).valid


def test_a_receipt_still_matches_after_keys_rotate_and_contents_are_reencrypted(records):
    document = _document(records.own)
    court = records.own.court
    keys.rotate_data_key(court)
    reencrypt.reencrypt(court)
    records.own.refresh_from_db()
    assert content_digest(records.own) == document["payload"]["digest"]
    assert verify_receipt(document).valid


def test_the_verify_page_accepts_a_good_receipt_and_rejects_garbage(records, client):
    url = reverse("security:receipt_verify")
    good = json.dumps(_document(records.own), ensure_ascii=False)
    page = client.post(url, {"receipt": good}).content.decode()
    assert "签名有效" in page
    assert "审计链中对应的提交事件与回执一致" in page
    page = client.post(url, {"receipt": "{not json"}).content.decode()
    assert "不是有效的 JSON" in page
    document = _document(records.own)
    document["payload"]["submitted_at"] = "2020-01-01T00:00:00+00:00"
    forged = json.dumps(document, ensure_ascii=False)
    assert "签名无效" in client.post(url, {"receipt": forged}).content.decode()


def test_the_verify_command_checks_a_receipt_file(records, tmp_path, capsys):
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(_document(records.own), ensure_ascii=False), encoding="utf-8")
    call_command("receipt_verify", str(path))
    assert "签名有效" in capsys.readouterr().out
    document = _document(records.own)
    document["payload"]["digest"] = "0" * 64
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="签名无效"):
        call_command("receipt_verify", str(path))


def test_the_public_key_page_publishes_the_courts_keys(records, client):
    court = records.own.court
    response = client.get(reverse("security:public_keys", args=[court.code]))
    assert response.status_code == 200
    assert "BEGIN PUBLIC KEY" in response.content.decode()
    assert client.get(reverse("security:public_keys", args=["豫0000"])).status_code == 404
