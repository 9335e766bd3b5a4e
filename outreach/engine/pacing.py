"""Pacing: keep each channel's send rate at or under its configured limit, across every worker process.

Carriers cap throughput per sender (Twilio: about 1 message/s per long code, 3 per toll-free number, 100 per short
code). Two mechanisms, both in Redis and on Redis's own clock so every worker agrees:

1. Spacing: each send reserves the next free slot (a generic cell rate algorithm: one timestamp per channel,
   advanced by a little more than 1/rate per reservation) and sleeps until it, so sends are evenly spread.
2. A hard cap: right before the provider call, the send is logged in a one-second sliding window; if the window
   already holds `rate` sends (a worker that woke late can bunch up with an on-time one), it waits for the oldest to
   leave the window. So no one-second window ever holds more than the limit, whatever the scheduling jitter. Each
   send stays in the window a little longer than a second (WINDOW_MARGIN_SECONDS): the requests themselves reach the
   carrier a few milliseconds apart from their admissions, and sends bunched at the cap (by the gate's re-check
   after the spacing wait, or a late wake-up) must still be under the limit when they arrive.
"""

import threading
import time
import uuid

import redis
from django.conf import settings

_RESERVE = """
local now = redis.call('TIME')
local now_us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(tat, now_us)
redis.call('SET', KEYS[1], slot + interval, 'PX', 600000)
return slot - now_us
"""
_ADMIT = """
local now = redis.call('TIME')
local now_us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_us - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now_us, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], 2000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now_us + 1000
"""
_local = threading.local()
# Slots a little wider than 1/rate absorb the jitter between a slot and the request leaving.
SAFETY_MARGIN = 1.02
# How much longer than a second a send holds its place in the hard cap's window (the jitter between an admission and
# the request reaching the carrier). Sends evenly spaced by mechanism 1 are 1.02 s / rate apart, so in steady state
# the margin costs nothing; it only spreads sends that bunched.
WINDOW_MARGIN_SECONDS = 0.05


def rate_for(channel):
    return settings.OUTREACH_SMS_RATE_PER_SECOND if channel == "sms" else settings.OUTREACH_EMAIL_RATE_PER_SECOND


def _scripts():
    cached = getattr(_local, "scripts", None)
    if cached is None or cached[0] != settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)
        cached = (settings.REDIS_URL, client.register_script(_RESERVE), client.register_script(_ADMIT))
        _local.scripts = cached
    return cached[1], cached[2]


def _key(channel, kind):
    return f"{settings.CACHES['default']['KEY_PREFIX']}:pace:{kind}:{channel}"


def reserve_slot(channel):
    """Seconds to wait for this send's evenly spaced slot (0 when the channel is not paced)."""
    rate = rate_for(channel)
    if not rate:
        return 0.0
    reserve, _ = _scripts()
    wait_us = reserve(keys=[_key(channel, "slot")], args=[int(1_000_000 / rate * SAFETY_MARGIN)])
    return max(0, int(wait_us)) / 1_000_000


def admit(channel):
    """Log this send in the one-second window if there is room; else the seconds to wait before asking again."""
    rate = rate_for(channel)
    if not rate:
        return 0.0
    _, admit_script = _scripts()
    window_us = int((1 + WINDOW_MARGIN_SECONDS) * 1_000_000)
    wait_us = admit_script(keys=[_key(channel, "window")], args=[rate, uuid.uuid4().hex, window_us])
    return max(0, int(wait_us)) / 1_000_000


def wait_for_slot(channel):
    """Block until this send may go; returns the seconds waited."""
    return wait_for_spacing(channel) + wait_for_admission(channel)


def wait_for_spacing(channel):
    """Mechanism 1: sleep until this send's evenly spaced slot. The gate is asked again after it (a STOP may have
    landed during the wait), then `wait_for_admission` right before the call."""
    waited = reserve_slot(channel)
    if waited:
        time.sleep(waited)
    return waited


def wait_for_admission(channel):
    """Mechanism 2: wait until the one-second window has room; the provider call must follow at once."""
    waited = 0.0
    while (delay := admit(channel)) > 0:
        time.sleep(delay)
        waited += delay
    return waited
