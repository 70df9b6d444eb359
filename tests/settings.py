"""The test suite's own settings (pytest's DJANGO_SETTINGS_MODULE, see pyproject.toml).

The server's settings (mingjing.settings) never switch themselves into a test mode: nothing
at run time (an environment variable, pytest being importable) gives a server a fixed secret
key or the fixed test master key. Only this module does, and only the suite imports it.
"""

import os
import tempfile
from pathlib import Path

# mingjing.settings refuses to load without a secret key outside debug: give it one for the
# import only, without leaving it in the environment of the subprocesses the tests start.
_TEST_SECRET_KEY = "test-suite-only-secret-key-never-used-by-a-server-0123456789"
_saved = os.environ.get("MINGJING_SECRET_KEY")
_saved_file = os.environ.pop("MINGJING_SECRET_KEY_FILE", None)
os.environ["MINGJING_SECRET_KEY"] = _TEST_SECRET_KEY
try:
    from mingjing.settings import *  # noqa: F403
finally:
    if _saved is None:
        os.environ.pop("MINGJING_SECRET_KEY", None)
    else:
        os.environ["MINGJING_SECRET_KEY"] = _saved
    if _saved_file is not None:
        os.environ["MINGJING_SECRET_KEY_FILE"] = _saved_file

# The fixed test master key (mingjing.security.masterkey.testing_master_key) applies when no
# key file is configured, under these settings only.
TESTING = True
SECRET_KEY = _TEST_SECRET_KEY

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

# Still argon2, with cheap parameters so the suite's many logins stay fast.
PASSWORD_HASHERS = ["mingjing.accounts.hashers.TestArgon2PasswordHasher"]

# The test client and the live server speak plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
# Nothing is collected for the suite: WhiteNoise finds the files where they are written, and
# its (empty) STATIC_ROOT exists so that it does not warn about a missing directory.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = Path(tempfile.gettempdir()) / "mingjing-test-static"
STATIC_ROOT.mkdir(exist_ok=True)

# A second alias on the same test database, as a streaming replica would be in production
# (mingjing/dbrouter.py). Replica reads stay off for the suite, whose tests run in one
# transaction the mirror's own connection cannot see; tests/test_dbrouter.py turns them on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
MINGJING_REPLICA_READS = False
