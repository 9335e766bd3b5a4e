"""Benchmark 6, content API: list and detail requests for the article pages under gunicorn.

Three kinds of answer, each measured over every list page (20 articles each) and every article's detail:
- 200 rendered: the server-side response cache just invalidated (a content version bump, as a publish does);
- 200 cached: the body comes from the Redis response cache;
- 304: the client revalidates with If-None-Match (what browsers and CDNs do, `Cache-Control: no-cache`).
SQL queries per request are counted in-process with Django's test client (same middleware and views).
"""

import io
import time

from bench.harness import HttpLoad, gunicorn, latency_summary_ms, shipped_gunicorn, tree_cpu_seconds

NAME = "content_api"
TITLE = "6. Content API"
SERVER = shipped_gunicorn()  # as production runs it by default
CLIENTS = 16
LIST_PAGE = 20


def params(quick):
    if quick:
        return {"articles": 12, "rounds": 1, "clients": CLIENTS}
    return {"articles": 200, "rounds": 3, "clients": CLIENTS}


def seed(articles, log):
    """The demo site (cms/demo.py), then more articles like the demo ones until there are `articles`."""
    from cms import demo
    from cms.demo_articles import ARTICLES
    from cms.models import ArticleIndexPage, ArticlePage, Person, Topic

    started = time.perf_counter()
    demo.seed_cms(io.StringIO())
    from wagtail.models import Locale

    # The English index and topics: the demo has Spanish translations of both (issue 20).
    index = ArticleIndexPage.objects.get(locale=Locale.get_default())
    topics = {topic.slug: topic for topic in Topic.objects.canonical()}
    writer = Person.objects.get(name=demo.PEOPLE["writer"]["name"])
    reviewer = Person.objects.get(name=demo.PEOPLE["reviewer"]["name"])
    existing = ArticlePage.objects.count()
    for number in range(existing, articles):
        article = ARTICLES[number % len(ARTICLES)]
        demo.ensure_child(
            index,
            ArticlePage,
            f"{article['slug']}-{number}",
            title=f"{article['title']} ({number})",
            summary=article["summary"],
            hero_image=demo.demo_image(f"Demo hero: {article['title']}", article["alt"], 10),
            body_spec=article["body"],
            topics_slugs=article["topics"],
            topics=topics,
            author=writer,
            medical_reviewer=reviewer,
            last_reviewed=ArticlePage.objects.first().last_reviewed,
            is_demo=True,
            seo_title=article["seo_title"],
            search_description=article["seo_description"],
        )
    log(f"content: {ArticlePage.objects.count()} articles in place ({time.perf_counter() - started:.1f}s)")
    return list(ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True))


def urls(article_ids):
    lists = [
        f"/api/v2/pages/?type=cms.ArticlePage&limit={LIST_PAGE}&offset={offset}"
        for offset in range(0, len(article_ids), LIST_PAGE)
    ]
    details = [f"/api/v2/pages/{pk}/" for pk in article_ids]
    return lists, details


def count_queries(list_url, detail_url):
    """Queries of one list and one detail request: rendered, from the response cache, and a 304."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms.caching import bump_content_version

    client = Client()
    counts = {}
    for kind, url in (("list", list_url), ("detail", detail_url)):
        bump_content_version()
        with CaptureQueriesContext(connection) as rendered:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as cached:
            response = client.get(url)
        with CaptureQueriesContext(connection) as revalidated:
            not_modified = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert not_modified.status_code == 304, (url, not_modified.status_code)
        counts[kind] = {
            "rendered": len(rendered.captured_queries),
            "cached": len(cached.captured_queries),
            "not_modified": len(revalidated.captured_queries),
            "rendered_sql": [q["sql"][:200] for q in rendered.captured_queries],
        }
    return counts


def phase(load, requests, expect_status):
    wall, results = load.run(requests)
    statuses = {}
    for status, *_rest in results:
        statuses[status] = statuses.get(status, 0) + 1
    if set(statuses) != {expect_status}:
        raise AssertionError(f"expected only {expect_status}, got {statuses}")
    return wall, results


def summarise(walls_results, server_cpu):
    latencies = [latency for _wall, results in walls_results for _s, latency, _h, _b in results]
    wall = sum(wall for wall, _results in walls_results)
    summary = latency_summary_ms(latencies)
    return {
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / wall, 1),
        **summary,
        "server_cpu_ms_per_request": round(server_cpu / len(latencies) * 1000, 2),
    }


def run(ctx):
    from cms.caching import bump_content_version

    p = params(ctx.quick)
    article_ids = seed(p["articles"], ctx.log)
    lists, details = urls(article_ids)
    results = {}
    with gunicorn(SERVER) as (server, base_url):
        load = HttpLoad(base_url, p["clients"])
        load.run([("GET", "/healthz", None, {})] * 64)
        # Render everything once first: image renditions are made (and stored) on the first render only.
        phase(load, [("GET", path, None, {}) for path in lists + details], 200)
        queries = count_queries(lists[0], details[0])
        for kind, paths in (("list", lists), ("detail", details)):
            get = [("GET", path, None, {}) for path in paths]
            rendered, cached, revalidated = [], [], []
            cpu = {"rendered": 0.0, "cached": 0.0, "not_modified": 0.0}
            # Ten times fewer list URLs than details: more rounds, so both have a sample worth a percentile.
            for _round in range(p["rounds"] * (10 if kind == "list" else 1)):
                bump_content_version()
                before = tree_cpu_seconds([server])
                rendered.append(phase(load, get, 200))
                middle = tree_cpu_seconds([server])
                cached.append(phase(load, get, 200))
                after = tree_cpu_seconds([server])
                etags = {paths[i]: headers.get("ETag") for i, (_s, _l, headers, _b) in enumerate(cached[-1][1])}
                conditional = [("GET", path, None, {"If-None-Match": etags[path]}) for path in paths]
                revalidated.append(phase(load, conditional, 304))
                end = tree_cpu_seconds([server])
                cpu["rendered"] += middle - before
                cpu["cached"] += after - middle
                cpu["not_modified"] += end - after
            results[kind] = {
                "rendered": summarise(rendered, cpu["rendered"]),
                "cached": summarise(cached, cpu["cached"]),
                "not_modified": summarise(revalidated, cpu["not_modified"]),
                "urls": len(paths),
            }
            ctx.log(
                f"content {kind}: "
                + "; ".join(
                    f"{answer} {figure['requests_per_second']}/s p95 {figure['p95_ms']} ms"
                    for answer, figure in results[kind].items()
                    if answer != "urls"
                )
            )
    figures = {}
    for kind in ("list", "detail"):
        for answer in ("rendered", "cached", "not_modified"):
            figures[f"{kind}_{answer}_rps"] = results[kind][answer]["requests_per_second"]
            figures[f"{kind}_{answer}_p95_ms"] = results[kind][answer]["p95_ms"]
        for answer in ("rendered", "cached", "not_modified"):
            figures[f"{kind}_{answer}_queries"] = queries[kind][answer]
    return {
        "params": {**p, "list_page_size": LIST_PAGE, "server": SERVER.label},
        "figures": figures,
        "targets": [],
        "results": results,
        "queries": queries,
    }
