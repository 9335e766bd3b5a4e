"""One asyncio event loop per process, in a thread of its own, so synchronous code (a Celery task) can make many
provider calls at once over one kept-alive HTTP session: `run(coroutine)` blocks the caller until it completes.

Made on first use in the process that uses it, so a forked worker process makes its own (a running loop and its
sockets do not survive a fork). Written here because the async clients we use (twilio's AsyncTwilioHttpClient on
aiohttp) need a running loop, and a Celery thread-pool worker has none; asgiref's async_to_sync would start and
close a loop (and its connections) around every call.
"""

import asyncio
import os
import threading

_lock = threading.Lock()
_state = {"pid": None, "loop": None}


def loop():
    with _lock:
        if _state["pid"] != os.getpid() or _state["loop"] is None or _state["loop"].is_closed():
            new = asyncio.new_event_loop()
            threading.Thread(target=new.run_forever, name="outreach-aio", daemon=True).start()
            _state.update(pid=os.getpid(), loop=new)
        return _state["loop"]


def run(coroutine):
    """Run `coroutine` on the process's loop and return its result (or raise its exception)."""
    return asyncio.run_coroutine_threadsafe(coroutine, loop()).result()
