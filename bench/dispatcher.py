"""The dispatcher as its own process for the throughput benchmarks: what beat's `outreach.tasks.tick` does every
`--tick` seconds, without the planning step (rows are loaded already; the planner has its own benchmark).

    --mode dispatch      outreach.engine.dispatch: recover leases, expire, claim due rows and enqueue one task per row
    --mode email-batch   the batch-sending prototype (bench/email_batch.py): claim due email rows 500 at a time and
                         enqueue one task per claim

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

    tick = dispatch_tick

    # Fixed-rate ticks, as beat schedules them: a slow tick does not stretch the period.
    next_tick = time.monotonic()
    while not stop.is_set():
        dispatch.recover_expired_leases()
        dispatch.expire_overdue()
        tick()
        next_tick += args.tick
        stop.wait(max(0.0, next_tick - time.monotonic()))
    return 0


def dispatch_tick():
    from outreach.engine import dispatch
    from outreach.tasks import send_messages

    return dispatch.dispatch(send_messages.delay)


if __name__ == "__main__":
    sys.exit(main())
