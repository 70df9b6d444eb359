"""The admin of accounts and org, registered here because it asks the policy and lists
through security's sysadmin-only admin classes: accounts and org stay below security
(.importlinter). Importing the modules registers their models."""

from mingjing.security import admin_accounts, admin_org  # noqa: F401
