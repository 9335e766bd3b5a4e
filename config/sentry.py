"""Optional error reports to Sentry (sentry-sdk), on only when SENTRY_DSN is set.

Nothing personal leaves: `send_default_pii` off (no user, cookies or client addresses), no local variables in stack
frames, no request bodies; and `scrub` (before each event is sent) drops query strings, headers other than a few
harmless ones, and redacts the tokens of link paths (config.logs.redact) in URLs, messages, exception values and
breadcrumbs. https://docs.sentry.io/platforms/python/data-management/sensitive-data/
"""

from config.logs import redact

SAFE_HEADERS = {"Content-Type", "Content-Length", "User-Agent", "Accept", "X-Request-Id", "Host"}


def scrub(event, hint=None):
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "data", "cookies", "env"):
            request.pop(key, None)
        if "url" in request:
            request["url"] = redact(request["url"])
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.title() in SAFE_HEADERS}
    event.pop("user", None)
    if "transaction" in event:
        event["transaction"] = redact(event["transaction"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if key in logentry:
                logentry[key] = redact(logentry[key])
        logentry.pop("params", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        if "value" in exception:
            exception["value"] = redact(exception["value"])
    breadcrumbs = event.get("breadcrumbs")
    crumbs = breadcrumbs.get("values", []) if isinstance(breadcrumbs, dict) else breadcrumbs or []
    for crumb in crumbs:
        if "message" in crumb:
            crumb["message"] = redact(crumb["message"])
        for key in ("url", "http.query", "http.fragment"):
            if key in (crumb.get("data") or {}):
                crumb["data"][key] = redact(crumb["data"][key]) if key == "url" else ""
    return event


def init_sentry(dsn, environment):
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=scrub,
        before_send_transaction=scrub,
    )
