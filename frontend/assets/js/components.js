// Pieces shared by several views: images from API renditions, cards, topic tags and the booking call to action.

import { formatDate, h, safeUrl, telHref } from "./dom.js";
import { t } from "./i18n.js";

/** An API image ({alt, width, height, renditions: {small, medium, large}}) as a responsive <img>. */
export function responsiveImage(image, { sizes = "100vw", eager = false, alt, className } = {}) {
  if (!image?.renditions) return null;
  const renditions = Object.values(image.renditions).sort((a, b) => a.width - b.width);
  const fallback = image.renditions.medium || renditions[renditions.length - 1];
  const img = h("img", {
    src: fallback.url,
    width: fallback.width,
    height: fallback.height,
    alt: alt ?? image.alt ?? "",
    loading: eager ? "eager" : "lazy",
    decoding: "async",
    class: className,
  });
  // srcset is a list, so it is set here rather than through h (which vets one URL); commas and spaces are escaped.
  const candidates = renditions.filter((r) => safeUrl(r.url)).map((r) => `${r.url.replace(/[\s,]/g, encodeURIComponent)} ${r.width}w`);
  img.setAttribute("srcset", candidates.join(", "));
  img.setAttribute("sizes", sizes);
  if (eager) img.setAttribute("fetchpriority", "high");
  return img;
}

export function topicTags(topics, { indexPath, label = "Topics" } = {}) {
  if (!topics?.length) return null;
  return h(
    "ul",
    { class: "tags", "aria-label": label },
    topics.map((topic) =>
      h("li", null, indexPath ? h("a", { href: `${indexPath}?topic=${encodeURIComponent(topic.slug)}` }, topic.name) : topic.name),
    ),
  );
}

/** An article in a list: image, title (a heading of the given level), summary, topics, review date. */
export function articleCard(article, { headingLevel = "h3" } = {}) {
  const meta = [
    article.last_reviewed && `${t("Reviewed ")}${formatDate(article.last_reviewed)}`,
    article.reading_time_minutes && `${article.reading_time_minutes} min read`,
  ].filter(Boolean);
  return h(
    "article",
    { class: "card" },
    responsiveImage(article.hero_image, { sizes: "(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 100vw", alt: "", className: "card__image" }),
    h(
      "div",
      { class: "card__body" },
      h(headingLevel, { class: "card__title" }, h("a", { href: article.meta.html_path, class: "card__link" }, article.title)),
      article.summary && h("p", { class: "card__summary" }, article.summary),
      article.topics?.length && h("p", { class: "card__topics" }, article.topics.map((t) => t.name).join(" · ")),
      meta.length && h("p", { class: "card__meta" }, meta.join(" · ")),
    ),
  );
}

export function serviceCard(service, { headingLevel = "h3" } = {}) {
  return h(
    "article",
    { class: "card card--service" },
    responsiveImage(service.hero_image, { sizes: "(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 100vw", alt: "", className: "card__image" }),
    h(
      "div",
      { class: "card__body" },
      h(headingLevel, { class: "card__title" }, h("a", { href: service.meta.html_path, class: "card__link" }, service.title)),
      service.conditions && h("p", { class: "card__meta" }, service.conditions),
      service.summary && h("p", { class: "card__summary" }, service.summary),
    ),
  );
}

/** "Call (203) 701-6388" as a button-styled tel: link. */
export function callLink(clinic, { className = "button button--secondary", label } = {}) {
  if (!clinic?.phone) return null;
  return h("a", { href: telHref(clinic.phone), class: className }, label || `Call ${clinic.phone}`);
}

export function bookingLink(clinic, { className = "button" } = {}) {
  if (!clinic?.booking_url) return null;
  return h("a", { href: clinic.booking_url, class: className }, "Book a consultation");
}

/** The "book a consultation" band that closes most pages. */
export function bookingBand(clinic, { headingLevel = "h2" } = {}) {
  if (!clinic) return null;
  const headingId = "booking-band-heading";
  return h(
    "section",
    { class: "booking-band", "aria-labelledby": headingId },
    h(
      "div",
      { class: "wrap booking-band__inner" },
      h(
        "div",
        null,
        h(headingLevel, { id: headingId }, "Book a consultation"),
        h(
          "p",
          null,
          "A consultation is a conversation with our clinicians about your history and your goals. ",
          "It is the first step before any treatment, and there is no obligation.",
        ),
      ),
      h(
        "div",
        { class: "booking-band__actions" },
        clinic.phone && h("p", { class: "booking-band__phone" }, "Call us: ", h("a", { href: telHref(clinic.phone) }, clinic.phone)),
        bookingLink(clinic, { className: "button button--on-dark" }),
      ),
    ),
  );
}
