"""The planner: turns active campaign steps into outbox rows when they come due.

Only consultations whose step falls due within a small window around now are read (an indexed range on
`starts_at`), so a tick costs in proportion to the due work, not to the size of the consultation table. Rows are
inserted with ON CONFLICT DO NOTHING against the outbox's unique constraint: running the planner twice, or two
planners at once, never makes a second row.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from outreach.consent import ledger
from outreach.engine import policy, timing
from outreach.models import (
    ArticleAnnouncement,
    ArticleDelivery,
    CampaignStep,
    Channel,
    Consultation,
    Contact,
    MessageStatus,
    OutboundMessage,
    Purpose,
    Subscription,
)
from outreach.models.contacts import default_channels
from outreach.models.outbox import STOPPED_FOR_CONSULTATION, STOPPED_FOR_PAUSE, STOPPED_FOR_UNTICKED_CHANNEL


def plan_due(now=None):
    """Plan every active step; return the number of rows inserted."""
    now = now or timezone.now()
    planners = {
        CampaignStep.Trigger.BEFORE_START: plan_step,
        CampaignStep.Trigger.AFTER_COMPLETED: plan_follow_up_step,
        CampaignStep.Trigger.NEW_ARTICLE: plan_digest_step,
    }
    steps = CampaignStep.objects.filter(campaign__active=True).select_related("campaign")
    return sum(planners[step.trigger](step, now) for step in steps)


def plan_window(step, now):
    ahead = datetime.timedelta(seconds=settings.OUTREACH_PLAN_AHEAD_SECONDS)
    # Look back far enough to catch up after an outage: rows past their lateness are planned and then expire, so
    # staff can see what was missed; anything older is not worth a row.
    back = step.max_lateness + datetime.timedelta(seconds=settings.OUTREACH_PLAN_LOOKBACK_SECONDS)
    earliest = now - back
    # No backfill: a step that fell due before the campaign was activated (or saved with steps already due) is
    # never planned, unless staff chose to send those too (then `plan_from` is empty).
    if step.campaign.plan_from is not None:
        earliest = max(earliest, step.campaign.plan_from)
    return earliest, now + ahead


def plan_step(step, now):
    earliest_due, latest_due = plan_window(step, now)
    shift = timing.max_shift(step)  # a step moved out of the night: widen the search, then filter on its due time
    consultations = Consultation.objects.filter(
        status__in=Consultation.REMINDABLE,
        starts_at__gt=max(now, earliest_due + step.offset - shift),
        starts_at__lte=latest_due + step.offset + shift,
    )

    def due_at(starts_at, _completed, time_zone):
        return timing.reminder_due_at(step, starts_at, zoneinfo.ZoneInfo(time_zone))

    missing = [
        row for row in unplanned(step, consultations) if earliest_due < due_at(row[1], None, row[6]) <= latest_due
    ]
    return insert_new(step, missing, due_at=due_at)


def plan_follow_up_step(step, now):
    """After-completion steps: consultations completed `offset` ago (indexed on status and completed_at)."""
    earliest_due, latest_due = plan_window(step, now)
    consultations = Consultation.objects.filter(
        status=Consultation.Status.COMPLETED,
        completed_at__gte=earliest_due - step.offset,
        completed_at__lte=latest_due - step.offset,
    )
    return insert_new(
        step, unplanned(step, consultations), due_at=lambda _starts, completed, _zone: completed + step.offset
    )


def unplanned(step, consultations):
    """The consultations of the window that still lack a row for one of the step's channels whose address their
    contact has: an anti-join in SQL, so a tick over a window already planned reads no consultation at all (not
    every one of them to drop what exists, as before), and no phone number is parsed. Rows come back as plain
    values: (id, starts_at, completed_at, contact id, preferred channels, {channel: wanted}, contact's time zone)."""
    wanted = {}
    for channel in step.channels:
        address = "contact__phone" if channel == Channel.SMS else "contact__email"
        exists = OutboundMessage.objects.filter(
            step=step, consultation=OuterRef("pk"), consultation_starts_at=OuterRef("starts_at"), channel=channel
        )
        wanted[f"want_{channel}"] = ExpressionWrapper(
            Q(**{f"{address}__isnull": False}) & ~Q(**{address: ""}) & ~Exists(exists), output_field=BooleanField()
        )
    if not wanted:
        return []
    missing = Q()
    for name in wanted:
        missing |= Q(**{name: True})
    rows = (
        consultations.annotate(**wanted)
        .filter(missing)
        .values_list(
            "pk",
            "starts_at",
            "completed_at",
            "contact_id",
            "contact__preferred_channels",
            "contact__time_zone",
            *wanted,
        )
    )
    channels = list(step.channels)
    return [
        (
            pk,
            starts_at,
            completed_at,
            contact_id,
            preferred or default_channels(),
            dict(zip(channels, flags, strict=True)),
            time_zone,
        )
        for pk, starts_at, completed_at, contact_id, preferred, time_zone, *flags in rows
    ]


def insert_new(step, consultations, *, due_at):
    """Insert the missing rows (the contact prefers the channel); the unique constraint settles a race with another
    planner (ON CONFLICT DO NOTHING). Returns how many were inserted."""
    rows = []
    for pk, starts_at, completed_at, contact_id, preferred, wanted, time_zone in consultations:
        due = due_at(starts_at, completed_at, time_zone)
        not_after = latest_send(step, due, starts_at)
        for channel, want in wanted.items():
            if want and channel in preferred:
                rows.append(
                    OutboundMessage(
                        step=step,
                        consultation_id=pk,
                        consultation_starts_at=starts_at,
                        contact_id=contact_id,
                        channel=channel,
                        status=MessageStatus.SCHEDULED,
                        due_at=due,
                        scheduled_for=due,
                        not_after=not_after,
                    )
                )
    if not rows:
        return 0
    with transaction.atomic():
        created = OutboundMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(created)


def latest_send(step, due_at, starts_at):
    """A row's `not_after`: its step's maximum lateness, and never after the visit it reminds of."""
    not_after = due_at + step.max_lateness
    if step.trigger == CampaignStep.Trigger.BEFORE_START:
        not_after = min(not_after, starts_at)
    return not_after


def rows_for(step, consultation, *, due_at):
    """The rows the planner makes for one consultation, as objects (the admin's "planned" preview). The planner
    decides the same in SQL for a whole window (`unplanned`); tests/outreach/engine/test_planner.py holds the two
    to the same answer for every kind of contact."""
    contact = consultation.contact
    for channel in step.channels:
        if contact.address_for(channel) and contact.prefers(channel):
            yield OutboundMessage(
                step=step,
                consultation=consultation,
                consultation_starts_at=consultation.starts_at,
                contact=contact,
                channel=channel,
                status=MessageStatus.SCHEDULED,
                due_at=due_at,
                scheduled_for=due_at,
                not_after=latest_send(step, due_at, consultation.starts_at),
            )


def consultation_changed(consultation, *, previous_starts_at, previous_status, now=None):
    """Keep the outbox true to a consultation after it changed (intake, a patient's reply, staff). Returns how many
    rows changed.

    One predicate decides (`OutboundMessage.objects.still_wanted`): a reminder is wanted while the visit is expected
    at the time it was planned for; a follow-up while the visit is completed, whatever else is edited. Unsent rows
    no longer wanted are cancelled (the planner plans a new time); rows stopped earlier that are wanted again come
    back if nothing else holds them (`revive`: moved back, reinstated, confirmed after a reschedule request). A row
    cancelled for an opt-out stays cancelled while the opt-out holds.
    """
    now = now or timezone.now()
    rows = OutboundMessage.objects.filter(consultation=consultation)
    changed = _rekey_follow_ups(consultation)
    if consultation.status != previous_status:
        reason = f"{STOPPED_FOR_CONSULTATION} {consultation.get_status_display().lower()}"
    else:
        reason = f"{STOPPED_FOR_CONSULTATION} rescheduled"
    changed += (
        rows.filter(status=MessageStatus.SCHEDULED)
        .exclude(pk__in=rows.still_wanted().values("pk"))
        .update(status=MessageStatus.CANCELLED, error_message=reason, updated_at=now)
    )
    return changed + rows.revive(now)


def _rekey_follow_ups(consultation):
    """A follow-up belongs to the completed visit, not to its time: when an edit moves a visit, its follow-up rows
    take the new time, so the planner (which looks rows up by consultation time) finds them and plans no second
    copy. A row already holding the new time wins; the stale one is left as it is."""
    follow_ups = OutboundMessage.objects.filter(
        consultation=consultation, step__trigger=CampaignStep.Trigger.AFTER_COMPLETED
    ).exclude(consultation_starts_at=consultation.starts_at)
    changed = 0
    for row in follow_ups.only("pk", "step_id", "contact_id", "channel"):
        taken = OutboundMessage.objects.filter(
            step_id=row.step_id,
            consultation=consultation,
            consultation_starts_at=consultation.starts_at,
            contact_id=row.contact_id,
            channel=row.channel,
        ).exists()
        if not taken:
            changed += OutboundMessage.objects.filter(pk=row.pk).update(consultation_starts_at=consultation.starts_at)
    return changed


def campaign_changed(campaign, now=None):
    """Keep the outbox true to a campaign after staff edited it: pausing it, or unticking a step's channel, cancels
    the rows planned for it and not yet handed to a worker (a claimed row is checked again at send time);
    activating it again, or ticking the channel again, brings back those still useful. Returns how many changed."""
    now = now or timezone.now()
    pending = OutboundMessage.objects.filter(step__campaign_id=campaign.pk, status=MessageStatus.SCHEDULED)
    if not campaign.active:
        return pending.update(status=MessageStatus.CANCELLED, error_message=STOPPED_FOR_PAUSE, updated_at=now)
    unticked = Q(channel=Channel.SMS, step__send_sms=False) | Q(channel=Channel.EMAIL, step__send_email=False)
    changed = pending.filter(unticked).update(
        status=MessageStatus.CANCELLED, error_message=STOPPED_FOR_UNTICKED_CHANNEL, updated_at=now
    )
    return changed + OutboundMessage.objects.filter(step__campaign_id=campaign.pk).revive(now)


def plan_digest_step(step, now):
    """New-article digests: one row per subscriber and channel when an announced article waits for them and their
    last educational message on that channel is at least `min_days_between` days old. The row's articles are chosen
    when it is sent, so every article announced until then goes in the same digest.

    A fixed number of queries whatever the number of subscribers: everything is read in bulk and matched here.
    """
    since = now - datetime.timedelta(days=settings.OUTREACH_DIGEST_LOOKBACK_DAYS)
    announced = {}  # topic id -> [(page id, announced at)]
    for page_id, topic_id, announced_at in ArticleAnnouncement.objects.filter(
        announced_at__gte=since, page__articlepage__topics__isnull=False
    ).values_list("page_id", "page__articlepage__topics", "announced_at"):
        announced.setdefault(topic_id, []).append((page_id, announced_at))
    subscriptions = list(
        Subscription.objects.filter(topic_id__in=announced, confirmed_at__isnull=False).values_list(
            "contact_id", "topic_id", "confirmed_at"
        )
    )
    if not subscriptions:
        return 0
    contact_ids = {contact_id for contact_id, _, _ in subscriptions}
    delivered = set(
        ArticleDelivery.objects.filter(contact_id__in=contact_ids).values_list("contact_id", "channel", "page_id")
    )
    quiet_since = now - datetime.timedelta(days=step.campaign.min_days_between)
    recently_messaged = set(
        OutboundMessage.objects.filter(
            contact_id__in=contact_ids,
            step__campaign__purpose=Purpose.EDUCATION,
            status__in=(*policy.COUNTED_STATUSES, MessageStatus.SCHEDULED),
            scheduled_for__gte=quiet_since,
        ).values_list("contact_id", "channel")
    )
    consenting = ledger.granted_pairs(contact_ids, Purpose.EDUCATION)
    waiting = {}  # contact id -> pages announced after they confirmed
    for contact_id, topic_id, confirmed_at in subscriptions:
        waiting.setdefault(contact_id, set()).update(
            page_id for page_id, announced_at in announced[topic_id] if announced_at >= confirmed_at
        )
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = []
    for contact in Contact.objects.filter(pk__in=contact_ids):
        for channel in step.channels:
            if (
                contact.address_for(channel)
                and (contact.pk, channel) in consenting
                and (contact.pk, channel) not in recently_messaged
                and any((contact.pk, channel, page_id) not in delivered for page_id in waiting.get(contact.pk, ()))
            ):
                rows.append(
                    OutboundMessage(
                        step=step,
                        contact=contact,
                        channel=channel,
                        due_at=day,
                        scheduled_for=now,
                        not_after=now + step.max_lateness,
                    )
                )
    with transaction.atomic():
        OutboundMessage.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
