"""Existing plain TOTP secrets are wrapped by the master key (issue 8, point 5).

Written as the data step of accounts 0002_throttle_and_wrapped_totp, which widened the
column; moved here, unchanged, so that accounts imports nothing of security (issue 9.2).
Both directions skip what is already in the target form, so a database that ran the step
in accounts 0002 is left as it is.
"""

from django.db import migrations


def wrap_totp_secrets(apps, schema_editor):
    """Existing plain TOTP secrets are wrapped by the master key (issue 8, point 5)."""
    from mingjing.security import secretbox

    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret="").only("pk", "totp_secret"):
        if not secretbox.is_wrapped(user.totp_secret):
            label = secretbox.totp_label(user.pk)
            user.totp_secret = secretbox.wrap(user.totp_secret, label=label)
            user.save(update_fields=["totp_secret"])


def unwrap_totp_secrets(apps, schema_editor):
    from mingjing.security import secretbox

    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret="").only("pk", "totp_secret"):
        if secretbox.is_wrapped(user.totp_secret):
            plain = secretbox.unwrap(user.totp_secret, label=secretbox.totp_label(user.pk))
            user.totp_secret = plain or ""
            user.save(update_fields=["totp_secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_throttle_and_wrapped_totp"),
        ("security", "0003_receipt"),
    ]

    operations = [
        migrations.RunPython(wrap_totp_secrets, unwrap_totp_secrets),
    ]
