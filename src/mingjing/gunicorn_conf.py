"""gunicorn's configuration for production (`mingjing serve`, or
`gunicorn -c python:mingjing.gunicorn_conf mingjing.wsgi`). Every value can be changed by the
environment variable named beside it; docs/deployment.md lists them."""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "mingjing.wsgi:application"
bind = os.environ.get("MINGJING_BIND", "127.0.0.1:8000")
# Sync workers, gunicorn's rule of thumb: two per core plus one (5 on a 2-core machine).
workers = _int("MINGJING_WORKERS", 2 * _cores() + 1)
worker_class = "sync"
# A request longer than this is killed and its worker restarted (exports of a year fit).
timeout = _int("MINGJING_TIMEOUT_SECONDS", 60)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak cannot grow without bound.
max_requests = _int("MINGJING_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Each worker loads Django itself: no database connection can be shared across a fork.
preload_app = False
# One line a request on standard output (systemd's journal keeps it), errors on standard error.
accesslog = os.environ.get("MINGJING_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("MINGJING_LOG_LEVEL", "warning").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
# Behind the reverse proxy on the same host: trust its X-Forwarded-* from there only.
forwarded_allow_ips = os.environ.get("MINGJING_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "mingjing"
