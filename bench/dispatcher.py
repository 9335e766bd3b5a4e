"""The dispatcher as its own process for the throughput benchmarks: what beat's `outreach.tasks.tick` does every
`--tick` seconds, without the planning step (rows are loaded already; the planner has its own benchmark).

    --mode dispatch      outreach.engine.dispatch: recover leases, expire, then claim due rows and enqueue them in
                         batches until the next tick (as beat's outreach.tasks.dispatch_due)

Run by the benchmarks (bench/harness.py dispatcher_process); stops on SIGTERM.
"""

import argparse
import signal
import sys
import threading
import time


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.dispatcher")
    parser.add_argument("--mode", choices=("dispatch",), default="dispatch")
    parser.add_argument("--tick", type=float, default=1.0)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from outreach.engine import dispatch

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    # Fixed-rate ticks, as beat schedules them: a slow tick does not stretch the period. Between ticks, as
    # outreach.tasks.dispatch_due: each row as it falls due (dispatch.dispatch_until).
    next_tick = time.monotonic()
    while not stop.is_set():
        dispatch.recover_expired_leases()
        dispatch.expire_overdue()
        next_tick += args.tick
        dispatch_until(max(0.0, next_tick - time.monotonic()) * 0.9, stop)
        stop.wait(max(0.0, next_tick - time.monotonic()))
    return 0


def dispatch_until(seconds, stop):
    import datetime

    from django.utils import timezone

    from outreach.engine import dispatch
    from outreach.tasks import send_messages

    until = timezone.now() + datetime.timedelta(seconds=seconds)
    return dispatch.dispatch_until(send_messages.delay, until, sleep=stop.wait)


if __name__ == "__main__":
    sys.exit(main())
