"""`mingjing serve`: the production server (gunicorn with mingjing/gunicorn_conf.py)."""

import os
import sys

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "以生产配置启动 gunicorn（配置见 mingjing/gunicorn_conf.py 与 docs/deployment.md）。"
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", help="地址，默认 MINGJING_BIND 或 127.0.0.1:8000")
        parser.add_argument("--workers", type=int, help="进程数，默认按 CPU 核数")
        parser.add_argument("--check-config", action="store_true", help="只检查并打印配置，不启动")

    def handle(self, *args: object, **options: object) -> None:
        argv = ["gunicorn", "--config", "python:mingjing.gunicorn_conf"]
        if options["bind"]:
            argv += ["--bind", str(options["bind"])]
        if options["workers"]:
            argv += ["--workers", str(options["workers"])]
        if options["check_config"]:
            argv += ["--check-config", "--print-config"]
        # The settings this process was started with (mingjing.settings unless overridden).
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mingjing.settings")
        from gunicorn.app.wsgiapp import run

        sys.argv = argv
        run()
