"""No query on the send path reads a big table from end to end: PostgreSQL's own plans, checked with EXPLAIN.

The send path (planning, dispatch, lease recovery, expiry, the send-time checks, recording outcomes) is run once for
real while every query is captured; then each captured SELECT, UPDATE and DELETE is EXPLAINed against tables holding
a history big enough, freshly ANALYZEd, that PostgreSQL would choose a sequential scan wherever no index serves the
query; and EXPLAIN ANALYZE (in a savepoint rolled back) counts the rows each query actually read from a big table,
which must not grow with that history (an index on a column that does not narrow, such as the step, reads every row
of the step). A query added to the path later is walked the same way: the list of queries is what the code runs,
not a list kept here.
"""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import data
from outreach.engine import dispatch
from outreach.engine.batches import send_batch
from outreach.engine.planner import plan_due
from outreach.models import MessageStatus, OutboundMessage
from tests.outreach.factories import make_consultation, make_contact
from tests.support.engine import daytime_zone

pytestmark = pytest.mark.django_db

# Tables that grow with patients and history. Campaigns, steps and settings stay small (a seq scan is right there).
BIG_TABLES = {
    "outreach_outboundmessage",
    "outreach_consentrecord",
    "outreach_contact",
    "outreach_consultation",
    "outreach_suppression",
    "outreach_deliveryevent",
    "outreach_inboundmessage",
    "outreach_articledelivery",
}
HISTORY = 20_000
# What one query may read from a big table while a handful of messages go out (the history is 20,000 rows each).
MAX_ROWS_READ = 100
IN_FLIGHT = 1_000


def fill_history():
    """HISTORY contacts with consent, consultations last month and their sent reminders, then ANALYZE."""
    _campaign, step = data.make_campaign(sms=True, email=True)
    contact_ids = data.load_contacts(HISTORY, channels=("sms", "email"), start=30_000)
    past = timezone.now() - datetime.timedelta(days=30)
    later = timezone.now() + datetime.timedelta(days=3)
    data.load_consultations(
        [(contact_id, past, "completed") for contact_id in contact_ids]
        + [(contact_id, later, "scheduled") for contact_id in contact_ids[: HISTORY // 4]]
    )
    from outreach.models import Consultation

    consultations = list(Consultation.objects.filter(starts_at=past).values_list("pk", "contact_id", "starts_at"))
    data.load_outbox(
        step,
        consultations,
        due_at=past - datetime.timedelta(hours=24),
        status="sent",
        provider="twilio",
        provider_call_started_at=past,
        sent_at=past,
    )
    # And a planned backlog: rows scheduled for the day after tomorrow (a big clinic plans days ahead; a burst waits).
    upcoming = list(Consultation.objects.filter(starts_at=later).values_list("pk", "contact_id", "starts_at"))
    data.load_outbox(step, upcoming, due_at=later - datetime.timedelta(hours=24))
    from outreach.models import Suppression

    data.copy_instances(
        Suppression,
        (
            Suppression(channel=channel, address_hash=f"{n:064x}", hint="x", reason="manual", created_at=past)
            for n in range(HISTORY // 2)
            for channel in ("sms", "email")
        ),
    )
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")
    # A burst claimed since the statistics were taken: a thousand rows in flight, which PostgreSQL's statistics do not
    # know about yet (a burst is faster than autoanalyze). A per-row statement that could use an index over the rows
    # in flight would read all of them for each message.
    in_flight = OutboundMessage.objects.filter(status=MessageStatus.SCHEDULED).order_by("pk").values("pk")[:IN_FLIGHT]
    OutboundMessage.objects.filter(pk__in=in_flight).update(
        status=MessageStatus.SENDING, lease_expires_at=timezone.now() + datetime.timedelta(minutes=3)
    )


def seq_scans(plan):
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += seq_scans(child)
    return found


def rows_read(plan):
    """{table: rows} read from the big tables by an analyzed plan (returned plus removed by a filter, every loop)."""
    found = {}
    relation = plan.get("Relation Name")
    if relation in BIG_TABLES and "Scan" in plan.get("Node Type", ""):
        loops = plan.get("Actual Loops", 1)
        removed = plan.get("Rows Removed by Filter", 0) + plan.get("Rows Removed by Index Recheck", 0)
        found[relation] = (plan.get("Actual Rows", 0) + removed) * loops
    for child in plan.get("Plans", []):
        for table, rows in rows_read(child).items():
            found[table] = found.get(table, 0) + rows
    return found


class Rollback(Exception):
    pass


def explain(sql, analyze=False):
    options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ({options}) " + sql)
            value = cursor.fetchone()[0]
            raise Rollback  # EXPLAIN ANALYZE runs an UPDATE for real: undo it
    except Rollback:
        pass
    plan = value if isinstance(value, list) else json.loads(value)
    return plan[0]["Plan"]


def test_no_query_on_the_send_path_scans_a_big_table_sequentially(settings):
    settings.OUTREACH_MAX_IN_FLIGHT = 5_000  # the burst in flight leaves room for the test's own rows
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.phone = "(203) 555-0100"
    clinic.save()
    fill_history()  # the same campaign and step as the new rows: its history is the step's own
    for _ in range(3):
        make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    completed = make_consultation(make_contact(time_zone=daytime_zone()), in_hours=-30, status="completed")
    completed.completed_at = timezone.now() - datetime.timedelta(hours=2)
    completed.save()

    with CaptureQueriesContext(connection) as captured:
        dispatch.recover_expired_leases()
        dispatch.expire_overdue()
        assert plan_due() >= 6
        batches = []
        dispatch.dispatch(batches.append)
        for batch in batches:
            send_batch(batch)
        plan_due()  # the window again, all planned
        dispatch.dispatch(batches.append)  # nothing due: the idle dispatch
        dispatch.next_due_at(timezone.now(), timezone.now() + datetime.timedelta(seconds=1))  # and its look ahead
        handed = [pk for batch in batches for pk in batch]
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT, pk__in=handed).count() == len(handed) >= 6

    statements = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH"))
    ]
    assert len(statements) > 20
    scanned, heavy = {}, {}
    for sql in statements:
        tables = seq_scans(explain(sql))
        if tables:
            scanned[sql[:300]] = tables
        # The dispatch's count of rows in flight reads them (at most OUTREACH_MAX_IN_FLIGHT, once a dispatch): bounded
        # by the ceiling, not by the outbox.
        ceiling = IN_FLIGHT + MAX_ROWS_READ if "COUNT(*)" in sql and "'sending'" in sql else MAX_ROWS_READ
        read = {table: rows for table, rows in rows_read(explain(sql, analyze=True)).items() if rows > ceiling}
        if read:
            heavy[sql[:300]] = read
    assert scanned == {}
    assert heavy == {}


def test_the_claim_reads_only_due_rows_whichever_plan_postgresql_picks():
    """The dispatch's claim reads the due rows it claims, not the planned backlog, under every plan PostgreSQL may
    pick when its estimates are off (simulated by taking one strategy away at a time). It once joined the campaign,
    and with nested loops out of favour PostgreSQL read every scheduled row through the expiry index and sorted
    them (a CI run on a database whose statistics other tests had moved)."""
    fill_history()
    with CaptureQueriesContext(connection) as captured:
        assert dispatch.claim_due(limit=500, channel="sms") == []  # the backlog is not due
    claims = [query["sql"] for query in captured.captured_queries if "FOR UPDATE" in query["sql"]]
    assert len(claims) == 1
    read = {}
    for strategy in ("enable_nestloop", "enable_hashjoin", "enable_mergejoin", "enable_sort", "enable_bitmapscan"):
        with connection.cursor() as cursor:
            cursor.execute(f"SET {strategy} = off")
        try:
            read[strategy] = rows_read(explain(claims[0], analyze=True)).get("outreach_outboundmessage", 0)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"RESET {strategy}")
    assert {strategy: rows for strategy, rows in read.items() if rows > MAX_ROWS_READ} == {}
