"""TOTP secrets are wrapped by the master key and bound to their row (issue 8, point 5)."""

import importlib

import pyotp
from django.apps import apps as django_apps
from django.db import connection

from mingjing.accounts.models import User
from mingjing.security import secretbox
from mingjing.security.authn import totp_begin_enrolment, totp_secret_of, totp_verify
from tests.conftest import enrolled_totp


def test_an_enrolled_secret_is_stored_wrapped(cast):
    secret = totp_begin_enrolment(user=cast.custodian)
    stored = User.objects.get(pk=cast.custodian.pk).totp_secret
    assert stored.startswith(secretbox.PREFIX) and secret not in stored
    with connection.cursor() as cursor:
        cursor.execute("select totp_secret from accounts_user where id = %s", [cast.custodian.pk])
        assert secret not in cursor.fetchone()[0]
    assert totp_secret_of(User.objects.get(pk=cast.custodian.pk)) == secret


def test_a_wrapped_secret_copied_into_another_row_does_not_open(cast):
    secret = enrolled_totp(cast.custodian)
    enrolled_totp(cast.approver)
    stolen = User.objects.get(pk=cast.custodian.pk).totp_secret
    User.objects.filter(pk=cast.approver.pk).update(totp_secret=stolen)
    approver = User.objects.get(pk=cast.approver.pk)
    assert totp_secret_of(approver) is None
    assert not totp_verify(user=approver, code=pyotp.TOTP(secret).now())


def test_a_plain_secret_written_into_the_database_is_no_second_factor(cast):
    secret = pyotp.random_base32()
    enrolled_totp(cast.approver)
    User.objects.filter(pk=cast.approver.pk).update(totp_secret=secret)
    assert not totp_verify(
        user=User.objects.get(pk=cast.approver.pk), code=pyotp.TOTP(secret).now()
    )


def test_the_migration_wraps_existing_plain_secrets(cast):
    migration = importlib.import_module("mingjing.security.migrations.0004_wrap_totp_secrets")
    secret = pyotp.random_base32()
    User.objects.filter(pk=cast.custodian.pk).update(totp_secret=secret)
    migration.wrap_totp_secrets(django_apps, None)
    stored = User.objects.get(pk=cast.custodian.pk).totp_secret
    assert secretbox.is_wrapped(stored)
    assert totp_secret_of(User.objects.get(pk=cast.custodian.pk)) == secret
    migration.wrap_totp_secrets(django_apps, None)  # twice changes nothing
    assert User.objects.get(pk=cast.custodian.pk).totp_secret == stored


def test_rewrap_moves_secrets_to_the_current_master_key(cast, settings, tmp_path):
    from mingjing.security import keys
    from mingjing.security.masterkey import generate_master_line, load_master_keys

    secret = enrolled_totp(cast.custodian)
    old = load_master_keys()[0]
    key_file = tmp_path / "master.key"
    key_file.write_text(f"{generate_master_line()}\n{old.key_id}:{old.secret.hex()}\n")
    settings.MINGJING_MASTER_KEY_FILE = str(key_file)
    assert keys.rewrap_all()["totp_secrets"] == 1
    user = User.objects.get(pk=cast.custodian.pk)
    assert secretbox.key_id_of(user.totp_secret) == load_master_keys()[0].key_id
    assert totp_secret_of(user) == secret
