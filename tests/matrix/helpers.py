"""Helpers for the permission matrix: expected statuses per user of the cast."""

from tests.conftest import ROLE_USERS

ALL = set(ROLE_USERS)


def only(allowed: set[str], yes: int = 200, no: int = 403) -> dict[str, int]:
    """`yes` for the users in `allowed`, `no` for everyone else."""
    return {name: (yes if name in allowed else no) for name in ROLE_USERS}


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLE_USERS, status)
