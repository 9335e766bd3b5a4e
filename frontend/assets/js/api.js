// The content API client. Every API response carries a strong ETag and "Cache-Control: public, no-cache": the
// first request of a session goes through the browser's HTTP cache (which revalidates), and after that we keep
// the body ourselves and send If-None-Match, so a page seen before costs a 304 with no body.

import { API_BASE } from "./dom.js";
import { language } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, body, url) {
    super(`${status} from ${url}`);
    this.status = status;
    this.body = body;
  }
}

const validated = new Map(); // url -> {etag, body}
const inFlight = new Map(); // url -> Promise, so the layout and a view asking at once share one request

export function apiUrl(path, params = {}) {
  const url = new URL(path, `${API_BASE}/`);
  for (const [key, value] of Object.entries(params)) {
    if (value != null && value !== "") url.searchParams.set(key, value);
  }
  return url.href;
}

async function readJSON(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function request(url, { revalidate }) {
  const headers = { Accept: "application/json" };
  const known = revalidate ? validated.get(url) : undefined;
  if (known) headers["If-None-Match"] = known.etag;
  // A request that carries its own If-None-Match bypasses the HTTP cache, so a 304 reaches us and we answer it.
  const response = await fetch(url, { headers, credentials: "omit" });
  if (response.status === 304 && known) return known.body;
  const body = await readJSON(response);
  if (!response.ok) throw new ApiError(response.status, body, url);
  const etag = response.headers.get("ETag");
  if (revalidate && etag) validated.set(url, { etag, body });
  return body;
}

/** GET a content-API path (e.g. "/api/v2/pages/") with query params; rejects with ApiError on a non-2xx status. */
export function getJSON(path, params = {}, { revalidate = true } = {}) {
  const url = apiUrl(path, params);
  if (!inFlight.has(url)) {
    const promise = request(url, { revalidate }).finally(() => inFlight.delete(url));
    inFlight.set(url, promise);
  }
  return inFlight.get(url);
}

/** The page at a front-end path (find/ answers with a redirect to the page's detail), or null if there is none. */
export async function findPage(path) {
  try {
    return await getJSON("/api/v2/pages/find/", { html_path: path });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** A path as Wagtail stores redirects' old paths: no trailing slash, query parameters sorted. */
function redirectPath(pathname, search = "") {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const params = [...new URLSearchParams(search)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return params.length ? `${path}?${new URLSearchParams(params)}` : path;
}

/**
 * Where a redirect made in the CMS sends this URL (an absolute URL), or null. Like Wagtail's own middleware, it
 * tries the path with its query string first, then without. (find/ matches the stored form only, so we normalise.)
 */
export async function findRedirect(url) {
  const candidates = [...new Set([redirectPath(url.pathname, url.search), redirectPath(url.pathname)])];
  for (const htmlPath of candidates) {
    try {
      const redirect = await getJSON("/api/v2/redirects/find/", { html_path: htmlPath });
      if (redirect?.location) return redirect.location;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }
  return null;
}

/** The draft behind a preview token. Never cached: preview responses are "private, no-store". */
export function previewPage(contentType, token) {
  return getJSON("/api/v2/page_preview/", { content_type: contentType, token }, { revalidate: false });
}

// Lists, topics and the clinic's texts in the reader's language (?locale=, i18n.js).
export function clinic(locale = language()) {
  return getJSON("/api/v2/clinic/", { locale });
}

export function topics() {
  return getJSON("/api/v2/topics/", { limit: 100, locale: language() }).then((data) => data.items);
}

export function articles(params = {}) {
  return getJSON("/api/v2/pages/", { type: "cms.ArticlePage", locale: language(), ...params });
}

export function services(params = {}) {
  return getJSON("/api/v2/pages/", { type: "cms.ServicePage", order: "title", locale: language(), ...params });
}

/** The article index (the "Patient education" section) of a language, for navigation; null if there is none. */
export async function articleIndex(locale = language()) {
  const data = await getJSON("/api/v2/pages/", { type: "cms.ArticleIndexPage", limit: 1, locale });
  return data.items[0] || null;
}

/** POST JSON to an API path; resolves to {status, body} whatever the status, rejects only on network failure. */
export async function postJSON(path, payload) {
  const response = await fetch(apiUrl(path), {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(payload),
    credentials: "omit",
  });
  return { status: response.status, body: await readJSON(response) };
}
