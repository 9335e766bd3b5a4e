// What a path shows, asked of the API, never looked up by id: the draft behind a preview token (/preview), else
// the page at the path (find/?html_path=), else a route of the front end itself (subscribe, booking), else a
// redirect made in the CMS, else "not found".

import * as api from "./api.js";
import { ApiError } from "./api.js";
import { h, SITE_BASE } from "./dom.js";
import { setLanguage } from "./i18n.js";
import { articleView } from "./views/article.js";
import { articleIndexView } from "./views/article-index.js";
import { bookingView } from "./views/booking.js";
import { genericView } from "./views/generic.js";
import { homeView } from "./views/home.js";
import { notFoundView } from "./views/not-found.js";
import { serviceView } from "./views/service.js";
import { subscribeView } from "./views/subscribe.js";

const PAGE_VIEWS = {
  "cms.HomePage": homeView,
  "cms.ArticleIndexPage": articleIndexView,
  "cms.ArticlePage": articleView,
  "cms.ServicePage": serviceView,
};
const PREVIEW_PATHS = new Set(["/preview", "/preview/"]);

/**
 * Paths the server answers itself (API, admin, files, links in messages...): links to them are followed, not routed.
 * Only a shortcut: a routed path that turns out to be no page is loaded from the server anyway (main.js).
 */
export const SERVER_PATHS =
  /^\/(?:(?:api|admin|documents|media|static|webhooks|u|preferences|subscriptions|r|_util)(?:\/|$)|(?:sitemap\.xml|healthz)$)/;

function withSlash(path) {
  return path.endsWith("/") ? path : `${path}/`;
}

/** Whether a URL is on this site (this origin or the configured public origin of the front end). */
export function isSiteUrl(url) {
  return url.origin === location.origin || url.origin === new URL(SITE_BASE).origin;
}

function builtInView(path, clinic) {
  if (withSlash(path) === "/subscribe/") return { view: subscribeView, canonicalPath: "/subscribe/" };
  if (clinic?.booking_url) {
    const booking = new URL(clinic.booking_url);
    if (isSiteUrl(booking) && withSlash(booking.pathname) === withSlash(path)) {
      return { view: bookingView, canonicalPath: booking.pathname };
    }
  }
  return null;
}

function pageView(page) {
  return PAGE_VIEWS[page.meta?.type] || genericView;
}

function messageView(title, ...paragraphs) {
  return {
    content: h("div", { class: "wrap wrap--narrow section" }, h("h1", { tabindex: "-1" }, title), paragraphs.map((p) => h("p", null, p))),
    head: { title, noindex: true },
  };
}

async function previewView(url, shared) {
  let page;
  try {
    page = await api.previewPage(url.searchParams.get("content_type") || "", url.searchParams.get("token") || "");
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
      return {
        ...messageView("This preview has expired", "Preview links work for a limited time. Go back to the editor and press Preview again."),
        preview: true,
      };
    }
    throw error;
  }
  const language = setLanguage(page.meta?.locale);
  const result = await pageView(page)({ ...shared, page, url });
  return { ...result, language, preview: true, head: { ...result.head, noindex: true, canonical: null } };
}

/**
 * Resolve a URL to {content, head, isDemo, preview, canonicalPath, structuredData} or {redirect: absoluteUrl}.
 * `shared` is {clinic, indexPage}, loaded once per visit.
 */
export async function resolve(url, sharedPromise) {
  if (PREVIEW_PATHS.has(url.pathname)) return previewView(url, await sharedPromise);

  const [shared, page] = await Promise.all([sharedPromise, api.findPage(url.pathname)]);
  const context = { ...shared, url };
  if (page) {
    setLanguage(page.meta?.locale);
    const result = await pageView(page)({ ...context, page });
    return {
      ...result,
      canonicalPath: page.meta?.html_path,
      pageType: page.meta?.type,
      language: page.meta?.locale,
      translations: page.meta?.translations || [],
    };
  }
  const builtIn = builtInView(url.pathname, shared.clinic);
  if (builtIn) {
    const result = await builtIn.view(context);
    return { ...result, head: { canonical: SITE_BASE + builtIn.canonicalPath, ...result.head }, canonicalPath: builtIn.canonicalPath };
  }

  const location = await api.findRedirect(url);
  if (location) return { redirect: location };
  return notFoundView(context);
}

export function errorView(error) {
  console.error(error);
  return messageView(
    "Sorry, this page could not be loaded",
    "Something went wrong while loading this page. Please check your connection and try again in a moment.",
  );
}
