"""The cast's role sets, named once: the matrix modules and the other tests use these.

Usernames are those of tests/conftest.py's CAST_SPEC.
"""

# Court A's users holding the staff role (everyone but the supervisor, sysadmin and outsider):
# they look cases up and, with court B's user, record, report and file.
COURT_STAFF = frozenset(
    {
        "staff",
        "staff2",
        "head",
        "deptadmin",
        "leader",
        "custodian",
        "inspector",
        "approver",
        "personnel",
    }
)
# Everyone holding the staff role in a court, court B's included.
STAFF_ROLE_HOLDERS = COURT_STAFF | {"other_court"}
# Who reads the contents of staff's submitted record: himself, his head, custodian, approver.
CONTENT_READERS = frozenset({"staff", "head", "custodian", "approver"})
# Who sees staff's submitted record at all (contents or counts).
RECORD_VIEWERS = CONTENT_READERS | {"deptadmin", "leader", "inspector"}
# The inspection office and the president see the whole court.
COURT_ROLES = frozenset({"custodian", "inspector", "approver"})
# Court A's civil department's month: also its head, its administrator and its leader.
CIVIL_VIEWERS = COURT_ROLES | {"head", "deptadmin", "leader"}
# Users of another court (or of the higher court) do not find court A's departments.
ELSEWHERE = frozenset({"other_court", "supervisor"})
# Roles whose accounts need a second factor (custodian, approver; the sysadmin).
SECOND_FACTOR = frozenset({"custodian", "approver", "sysadmin"})
# Who may read staff's submitted special report: he, his head, custodian, approver.
REPORT_READERS = CONTENT_READERS
