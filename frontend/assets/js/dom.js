// Building DOM safely. Text always goes in as text nodes and attributes through setAttribute; the only HTML parsed
// is the API's rich text (richText below), which comes from our own CMS, already sanitised by Wagtail, and is
// filtered again here. Nothing from the address bar is ever parsed as HTML.

function metaContent(name) {
  const value = document.querySelector(`meta[name="${name}"]`)?.getAttribute("content")?.trim();
  return (value || location.origin).replace(/\/+$/, "");
}

/** The content API's origin and the site's public origin (from the shell's meta tags; default: this origin). */
export const API_BASE = metaContent("api-base");
export const SITE_BASE = metaContent("site-base");

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tel:"]);

/** The URL if it is http(s), mailto or tel (relative URLs included); otherwise null. */
export function safeUrl(value) {
  if (value == null || value === "") return null;
  try {
    const url = new URL(String(value), location.href);
    return SAFE_PROTOCOLS.has(url.protocol) ? String(value) : null;
  } catch {
    return null;
  }
}

/** A link to a page of this site as a path on the current origin, so the router handles it without a reload. */
export function localHref(value) {
  const safe = safeUrl(value);
  if (!safe) return null;
  const url = new URL(safe, location.href);
  if (url.origin === location.origin || url.origin === new URL(SITE_BASE).origin) {
    return url.pathname + url.search + url.hash;
  }
  return safe;
}

/** h("a", {href, class}, "text", child...): an element; null, false and undefined children are skipped. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "href" || key === "src" || key === "action") {
      const url = key === "href" ? localHref(value) : safeUrl(value);
      if (url) el.setAttribute(key, url);
    } else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

const DROPPED_ELEMENTS = "script, style, iframe, frame, object, embed, form, input, button, textarea, select, link, meta, base";
const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href"];

/** The API's rich text as a fragment: filtered, with site links made local and images made responsive. */
export function richText(html, { imageSizes = "(min-width: 48rem) 44rem, 100vw" } = {}) {
  const template = document.createElement("template");
  template.innerHTML = html || "";
  const root = template.content;
  root.querySelectorAll(DROPPED_ELEMENTS).forEach((el) => el.remove());
  root.querySelectorAll("*").forEach((el) => {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "style") el.removeAttribute(attr.name);
      else if (URL_ATTRIBUTES.includes(name) && !safeUrl(attr.value)) el.removeAttribute(attr.name);
    }
  });
  root.querySelectorAll("a[href]").forEach((a) => {
    const href = localHref(a.getAttribute("href"));
    a.setAttribute("href", href);
    if (/^https?:/.test(href)) a.setAttribute("rel", "noopener");
  });
  root.querySelectorAll("img").forEach((img) => {
    img.setAttribute("loading", "lazy");
    img.setAttribute("decoding", "async");
    if (img.hasAttribute("srcset") && !img.hasAttribute("sizes")) img.setAttribute("sizes", imageSizes);
    if (!img.hasAttribute("alt")) img.setAttribute("alt", "");
  });
  return root;
}

/** Dates and numbers in the reader's language (i18n.js). */
export { formatDate, formatNumber } from "./i18n.js";

/** "(203) 701-6388" -> "tel:+12037016388" (US numbers; others keep their digits and any leading +). */
export function telHref(phone) {
  if (!phone) return null;
  const digits = phone.replace(/[^\d+]/g, "");
  if (digits.startsWith("+")) return `tel:${digits}`;
  return digits.length === 10 ? `tel:+1${digits}` : `tel:${digits}`;
}

let uniqueCounter = 0;
export function uniqueId(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}
