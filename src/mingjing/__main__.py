"""`mingjing` is the project's manage.py."""

import os
import sys

# Commands that change the schema connect as the owner role when one is configured.
OWNER_COMMANDS = {"migrate"}


def use_migrate_database(argv: list[str]) -> None:
    """`mingjing migrate` connects with MINGJING_MIGRATE_DATABASE_URL (the owner role) when
    it is set; the server and every other command keep MINGJING_DATABASE_URL (the app role)."""
    if len(argv) < 2 or argv[1] not in OWNER_COMMANDS:
        return
    for suffix in ("", "_FILE"):
        value = os.environ.get(f"MINGJING_MIGRATE_DATABASE_URL{suffix}")
        if value:
            os.environ.pop("MINGJING_DATABASE_URL", None)
            os.environ.pop("MINGJING_DATABASE_URL_FILE", None)
            os.environ[f"MINGJING_DATABASE_URL{suffix}"] = value
            return


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mingjing.settings")
    use_migrate_database(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
