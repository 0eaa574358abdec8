"""Database triggers that keep the audit trail append-only, shared by the migration and tests.

PostgreSQL refuses UPDATE and DELETE (a row trigger) and TRUNCATE (a statement trigger). SQLite
refuses UPDATE and DELETE. These stop mistakes and anyone who reaches the database through the
application; the database roles in docs/production.md stop the rest (the application's role may
only INSERT and SELECT audit rows, and does not own the table, so it cannot switch triggers off).
"""

# The refusing function, peerpath_audit_append_only(), comes from migration core 0002.
POSTGRES_CREATE = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION peerpath_audit_append_only();
"""
POSTGRES_DROP = "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;"

SQLITE_NO_DELETE = """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete
    BEFORE DELETE ON core_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS core_auditevent_no_delete;"
# SQLite loses a table's triggers when a migration rebuilds the table: recreated with the guard.
SQLITE_NO_UPDATE = """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update
    BEFORE UPDATE ON core_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;"""


def flush_statements(vendor: str, statements: list[str]) -> list[str]:
    """Django's test flush with the delete/truncate guard lifted for its duration (tests only)."""
    if vendor == "postgresql":
        return [
            "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate;",
            "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only;",
            *statements,
            "ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only;",
            "ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate;",
        ]
    if vendor == "sqlite":
        return [SQLITE_DROP, *statements, SQLITE_NO_DELETE]
    return statements
