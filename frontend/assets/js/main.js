// Boot: load what every page shows (clinic details, the article index for navigation), draw the header and
// footer, then route. Links and GET forms within the site navigate without a reload (history API); the browser's
// back and forward buttons work as usual.

import * as api from "./api.js";
import { h } from "./dom.js";
import { languageLinks, languageOfPath, setLanguage } from "./i18n.js";
import { markCurrentNav, renderFooter, renderHeader, renderNotices, setHead, setStructuredData } from "./layout.js";
import { errorView, isSiteUrl, resolve, SERVER_PATHS } from "./router.js";

const MAX_REDIRECTS = 5;
const main = document.getElementById("main");
const header = document.getElementById("site-header");
const footer = document.getElementById("site-footer");
const notices = document.getElementById("notices");
const announcer = document.getElementById("route-announcer");

// What every page of a language shows (the clinic's texts, its article index), loaded once per language.
const sharedByLanguage = new Map();
function shared(language) {
  if (!sharedByLanguage.has(language)) {
    sharedByLanguage.set(
      language,
      Promise.all([api.clinic(language).catch(() => null), api.articleIndex(language).catch(() => null)]).then(
        ([clinic, indexPage]) => ({ clinic, indexPage }),
      ),
    );
  }
  return sharedByLanguage.get(language);
}
let chromeKey = null; // the language and translations the header and footer were drawn for

let navigation = 0;
let shownKey = null; // path + query of what is on screen, to tell hash-only changes from navigations

function keyOf(url) {
  return url.pathname + url.search;
}

function scrollToHash(hash) {
  const target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
  if (target) {
    target.scrollIntoView();
    return true;
  }
  return false;
}

async function show(url, { initial = false, redirects = 0 } = {}) {
  const current = ++navigation;
  // Refining a list (same path, new query) keeps the reader where they are, e.g. on the topic menu.
  const refining = !initial && shownKey !== null && new URL(shownKey, location.origin).pathname === url.pathname;
  const focusedId = refining ? document.activeElement?.id : null;
  main.setAttribute("aria-busy", "true");
  // Views word their labels and format dates as they draw: in the path's language (the router switches to the
  // page's own, e.g. for a preview, before drawing it).
  const pathLanguage = setLanguage(languageOfPath(url.pathname));
  let result;
  try {
    result = await resolve(url, shared(pathLanguage));
  } catch (error) {
    result = errorView(error);
  }
  if (current !== navigation) return; // a newer navigation started meanwhile

  if (result.redirect) {
    const target = new URL(result.redirect, location.href);
    if (isSiteUrl(target) && redirects < MAX_REDIRECTS) {
      const local = new URL(target.pathname + target.search + target.hash, location.origin);
      history.replaceState(null, "", local.href);
      return show(local, { initial, redirects: redirects + 1 });
    }
    location.replace(target.href);
    return;
  }
  if (result.status === 404 && !initial) {
    // Maybe a page of the server itself (a link the router should not have taken): let the server answer.
    location.assign(url.href);
    return;
  }
  if (result.canonicalPath && result.canonicalPath !== url.pathname) {
    history.replaceState(null, "", result.canonicalPath + url.search + url.hash);
  }

  const language = setLanguage(result.language || pathLanguage);
  const { clinic, indexPage } = await shared(language);
  const languages = languageLinks(result.translations);
  const key = JSON.stringify([language, languages]);
  if (key !== chromeKey) {
    renderHeader(header, { clinic, indexPage, languages });
    renderFooter(footer, { clinic, indexPage });
    chromeKey = key;
  }
  main.replaceChildren(h("div", { class: "view" }, result.content));
  main.dataset.view = result.pageType || (result.status === 404 ? "not-found" : "page");
  renderNotices(notices, { isDemo: result.isDemo, preview: result.preview });
  setHead({ ...result.head, siteName: clinic?.clinic_name });
  setStructuredData(result.structuredData);
  markCurrentNav(header, location.pathname);
  shownKey = keyOf(new URL(location.href));
  main.setAttribute("aria-busy", "false");

  if (refining) {
    const previous = focusedId && document.getElementById(focusedId);
    (previous || main.querySelector("h1"))?.focus({ preventScroll: true });
    announcer.textContent = main.querySelector("[data-announce]")?.textContent || document.title;
    return;
  }
  if (!scrollToHash(url.hash) && !initial) window.scrollTo(0, 0);
  if (!initial) {
    // Tell screen-reader users where they are, as a full page load would.
    main.querySelector("h1")?.focus({ preventScroll: Boolean(url.hash) });
    announcer.textContent = document.title;
  }
}

function navigate(url) {
  if (keyOf(url) === keyOf(new URL(location.href)) && url.hash) {
    history.pushState(null, "", url.href);
    scrollToHash(url.hash);
    return;
  }
  history.pushState(null, "", url.href);
  show(url);
}

function routable(url) {
  return url.origin === location.origin && !SERVER_PATHS.test(url.pathname);
}

document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest("a[href]");
  if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download")) return;
  const url = new URL(link.href);
  if (!routable(url)) return;
  if (keyOf(url) === keyOf(new URL(location.href)) && url.hash) return; // an in-page anchor: the browser scrolls
  event.preventDefault();
  navigate(url);
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "get") return;
  const url = new URL(form.action, location.href);
  if (!routable(url)) return;
  event.preventDefault();
  url.search = "";
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim()) url.searchParams.append(name, value.trim());
  }
  navigate(url);
});

window.addEventListener("popstate", () => {
  const url = new URL(location.href);
  if (keyOf(url) === shownKey) {
    scrollToHash(url.hash);
    return;
  }
  show(url);
});

show(new URL(location.href), { initial: true });
