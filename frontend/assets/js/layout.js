// The chrome around every view: header with navigation and the clinic's phone, footer, notices (demo content,
// preview) and the document head (title, description, canonical URL, robots) from the API's SEO fields.

import { bookingLink } from "./components.js";
import { append, h, safeUrl, telHref } from "./dom.js";
import { DEFAULT_LANGUAGE, homePath, t } from "./i18n.js";

/** The language switch: each language's version of this page (or its home page when there is none). */
function languageSwitch(languages = []) {
  if (languages.length < 2) return null;
  return h(
    "nav",
    { class: "language-switch", "aria-label": t("Language") },
    h(
      "ul",
      null,
      languages.map((item) =>
        h(
          "li",
          null,
          h(
            "a",
            {
              href: item.href,
              lang: item.code,
              hreflang: item.code,
              "data-language": item.code,
              "aria-current": item.current ? "true" : null,
            },
            item.name,
          ),
        ),
      ),
    ),
  );
}

export function renderHeader(container, { clinic, indexPage, languages }) {
  const name = clinic?.clinic_name || "Clinic";
  const links = [
    indexPage && { href: indexPage.meta.html_path, text: indexPage.title },
    { href: `${homePath()}#treatments`, text: t("Treatments") },
    { href: "/subscribe/", text: t("Stay informed") },
  ].filter(Boolean);
  container.replaceChildren(
    h(
      "div",
      { class: "wrap site-header__inner" },
      h("a", { href: homePath(), class: "brand" }, h("span", { class: "brand__mark", "aria-hidden": "true" }), h("span", { class: "brand__name" }, name)),
      h(
        "nav",
        { class: "site-nav", "aria-label": t("Main") },
        h("ul", null, links.map((link) => h("li", null, h("a", { href: link.href, "data-nav": "" }, link.text)))),
      ),
      h(
        "div",
        { class: "site-header__actions" },
        clinic?.phone &&
          h("a", { href: telHref(clinic.phone), class: "header-phone" }, h("span", { class: "visually-hidden" }, t("Call us: ")), clinic.phone),
        bookingLink(clinic, { className: "button button--small" }),
        languageSwitch(languages),
      ),
    ),
  );
}

/** Marks the navigation link of the current section with aria-current. */
export function markCurrentNav(container, pathname) {
  for (const link of container.querySelectorAll("a[data-nav]")) {
    const target = new URL(link.href);
    const current = !target.hash && target.pathname !== "/" && pathname.startsWith(target.pathname);
    if (current) link.setAttribute("aria-current", pathname === target.pathname ? "page" : "true");
    else link.removeAttribute("aria-current");
  }
}

export function renderFooter(container, { clinic, indexPage }) {
  const addressLines = (clinic?.postal_address || "").split("\n").filter(Boolean);
  container.replaceChildren(
    h(
      "div",
      { class: "wrap site-footer__inner" },
      h(
        "div",
        null,
        h("p", { class: "site-footer__name" }, clinic?.clinic_name || ""),
        addressLines.length && h("address", null, addressLines.map((line, i) => [i ? h("br") : null, line])),
        clinic?.phone && h("p", null, t("Phone: "), h("a", { href: telHref(clinic.phone) }, clinic.phone)),
      ),
      h(
        "nav",
        { "aria-label": t("Footer") },
        h(
          "ul",
          null,
          indexPage && h("li", null, h("a", { href: indexPage.meta.html_path }, indexPage.title)),
          h("li", null, h("a", { href: `${homePath()}#treatments` }, t("Treatments"))),
          h("li", null, h("a", { href: "/subscribe/" }, t("Get new articles by email or text"))),
          clinic?.booking_url && h("li", null, h("a", { href: clinic.booking_url }, t("Book a consultation"))),
          clinic?.privacy_notice?.url && h("li", null, h("a", { href: clinic.privacy_notice.url }, clinic.privacy_notice.title)),
        ),
      ),
      h(
        "p",
        { class: "site-footer__crisis" },
        t("In an emergency call 911. In a mental health crisis call or text 988 (Suicide & Crisis Lifeline)."),
      ),
    ),
  );
}

export function renderNotices(container, { isDemo = false, preview = false } = {}) {
  container.replaceChildren();
  container.hidden = !isDemo && !preview;
  append(container, [
    preview &&
      h(
        "div",
        { class: "notice notice--preview", role: "status" },
        h("div", { class: "wrap" }, h("strong", null, t("Preview. ")), t("This is a draft as the editor sees it; visitors will not see it until it is published.")),
      ),
    isDemo &&
      h(
        "div",
        { class: "notice notice--demo" },
        h("div", { class: "wrap" }, h("strong", null, t("Demo content. ")), t("This page is sample content for trying out the site, not medical advice.")),
      ),
  ]);
}

function setMeta(attribute, key, content) {
  let meta = document.head.querySelector(`meta[${attribute}="${key}"]`);
  if (!content) {
    meta?.remove();
    return;
  }
  if (!meta) meta = document.head.appendChild(h("meta", { [attribute]: key }));
  meta.setAttribute("content", content);
}

function setLink(rel, href) {
  let link = document.head.querySelector(`link[rel="${rel}"]`);
  if (!href) {
    link?.remove();
    return;
  }
  if (!link) link = document.head.appendChild(h("link", { rel }));
  link.setAttribute("href", href);
}

/** hreflang links to the page's language versions (meta.translations), x-default the default language's: as the
 * server's head (cms/public_paths.py, hreflang_alternates). */
function setAlternates(translations) {
  for (const link of document.head.querySelectorAll('link[rel="alternate"][hreflang]')) link.remove();
  const versions = translations.filter((item) => item.url);
  if (versions.length < 2) return;
  const fallback = versions.find((item) => item.locale === DEFAULT_LANGUAGE);
  const links = [...versions.map((item) => [item.locale, item.url]), ...(fallback ? [["x-default", fallback.url]] : [])];
  const canonical = document.head.querySelector('link[rel="canonical"]');
  const anchor = canonical ? canonical.nextSibling : null;
  for (const [hreflang, href] of links) {
    // Not h(): hreflang links must stay absolute (h() makes this site's links relative for the router).
    const link = document.createElement("link");
    link.rel = "alternate";
    link.hreflang = hreflang;
    link.href = safeUrl(href) || "";
    document.head.insertBefore(link, anchor);
  }
}

/** A page's head from the API's `seo` (the server renders the same values into the first HTML: cms/public_paths.py). */
export function pageHead(page) {
  const seo = page.seo || {};
  return {
    title: seo.title || page.title,
    description: seo.description,
    canonical: seo.canonical_url,
    image: seo.image,
    type: page.meta?.type === "cms.ArticlePage" ? "article" : "website",
    translations: page.meta?.translations || [],
  };
}

/**
 * Title, description, canonical URL, robots, Open Graph and Twitter tags for the current view: the same tags, with
 * the same values, as the server puts in a path's first HTML (cms/public_paths.py, Head.elements).
 */
export function setHead({ title, description, canonical, image, noindex = false, siteName, type = "website", translations = [] }) {
  const fullTitle = title && siteName && title !== siteName ? `${title} | ${siteName}` : title || siteName || "";
  document.title = fullTitle;
  const url = noindex ? null : canonical;
  setLink("canonical", url);
  setAlternates(url ? translations : []);
  const tags = [
    ["name", "description", description],
    ["name", "robots", noindex ? "noindex" : null],
    ["property", "og:type", type],
    ["property", "og:title", title],
    ["property", "og:description", description],
    ["property", "og:url", url],
    ["property", "og:image", image?.url],
    ["property", "og:image:width", image?.width],
    ["property", "og:image:height", image?.height],
    ["property", "og:image:alt", image?.alt],
    ["property", "og:site_name", siteName],
    ["name", "twitter:card", image ? "summary_large_image" : "summary"],
    ["name", "twitter:title", title],
    ["name", "twitter:description", description],
    ["name", "twitter:image", image?.url],
    ["name", "twitter:image:alt", image?.alt],
  ];
  for (const [attribute, key, value] of tags) setMeta(attribute, key, value == null ? null : String(value));
}

/** Structured data (JSON-LD, from the API's seo) for the view; a data block, not a script: the CSP does not apply. */
export function setStructuredData(data) {
  document.head.querySelector("script#structured-data")?.remove();
  if (!data) return;
  const script = h("script", { type: "application/ld+json", id: "structured-data" });
  script.textContent = JSON.stringify(data);
  document.head.append(script);
}
