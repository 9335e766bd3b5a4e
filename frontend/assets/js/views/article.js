// An article (cms.ArticlePage): header with topics and medical review, hero image, "On this page", the body,
// the medical disclaimer, who wrote and reviewed it, related articles and the booking call.

import { renderBody, sectionHeadings } from "../blocks.js";
import { bookingBand, responsiveImage, topicTags } from "../components.js";
import { formatDate, formatNumber, h } from "../dom.js";
import { homePath, t } from "../i18n.js";
import { pageHead } from "../layout.js";

function personLine(person) {
  return person.credentials ? `${person.name}, ${person.credentials}` : person.name;
}

function breadcrumbs(page, indexPage) {
  const parent = page.meta?.parent || indexPage;
  return h(
    "nav",
    { class: "breadcrumbs", "aria-label": t("Breadcrumb") },
    h(
      "ol",
      null,
      h("li", null, h("a", { href: homePath() }, t("Home"))),
      parent?.meta?.html_path && parent.meta.html_path !== homePath() && h("li", null, h("a", { href: parent.meta.html_path }, parent.title)),
      h("li", null, h("a", { href: page.meta?.html_path || "", "aria-current": "page" }, page.title)),
    ),
  );
}

function reviewLine(page) {
  const parts = [];
  if (page.medical_reviewer) parts.push([t("Medically reviewed by "), h("strong", null, personLine(page.medical_reviewer))]);
  if (page.last_reviewed) parts.push([t("Last reviewed "), h("time", { datetime: page.last_reviewed }, formatDate(page.last_reviewed))]);
  if (page.reading_time_minutes) parts.push(`${formatNumber(page.reading_time_minutes)} ${t("min read")}`);
  if (!parts.length) return null;
  return h("p", { class: "article__review" }, parts.flatMap((part, i) => (i ? [h("span", { class: "sep", "aria-hidden": "true" }, " · "), part] : [part])));
}

function tableOfContents(body) {
  const headings = sectionHeadings(body);
  if (headings.length < 3) return null;
  return h(
    "nav",
    { class: "toc", "aria-labelledby": "toc-heading" },
    h("h2", { id: "toc-heading", class: "toc__heading" }, t("On this page")),
    h("ol", null, headings.map((heading) => h("li", null, h("a", { href: `#${heading.anchor}` }, heading.text)))),
  );
}

function people(page) {
  const entries = [
    page.author && [t("Written by"), page.author],
    page.medical_reviewer && [t("Medically reviewed by"), page.medical_reviewer],
  ].filter(Boolean);
  if (!entries.length) return null;
  return h(
    "section",
    { class: "people", "aria-labelledby": "people-heading" },
    h("h2", { id: "people-heading" }, t("About this article")),
    h(
      "dl",
      null,
      entries.map(([label, person]) => [
        h("dt", null, label),
        h("dd", null, h("span", { class: "people__name" }, personLine(person)), person.role && h("span", { class: "people__role" }, person.role)),
      ]),
      page.last_reviewed && [h("dt", null, t("Last reviewed")), h("dd", null, h("time", { datetime: page.last_reviewed }, formatDate(page.last_reviewed)))],
    ),
  );
}

function related(page) {
  const links = (page.related_articles || []).filter((link) => link?.url);
  if (!links.length) return null;
  return h(
    "section",
    { class: "related", "aria-labelledby": "related-heading" },
    h("h2", { id: "related-heading" }, t("Related articles")),
    h("ul", null, links.map((link) => h("li", null, h("a", { href: link.url }, link.title)))),
  );
}

export function articleView({ page, clinic, indexPage }) {
  const body = page.body || [];
  const article = h(
    "article",
    { class: "article" },
    h(
      "header",
      { class: "article__header wrap wrap--narrow" },
      breadcrumbs(page, indexPage),
      topicTags(page.topics, { indexPath: indexPage?.meta?.html_path }),
      h("h1", { tabindex: "-1" }, page.title),
      page.summary && h("p", { class: "lead" }, page.summary),
      reviewLine(page),
    ),
    page.hero_image &&
      h("div", { class: "article__hero wrap" }, responsiveImage(page.hero_image, { sizes: "(min-width: 72rem) 68rem, 100vw", eager: true })),
    h(
      "div",
      { class: "wrap wrap--narrow article__content" },
      tableOfContents(body),
      h("div", { class: "prose" }, renderBody(body)),
      clinic?.medical_disclaimer &&
        h("div", { class: "disclaimer", role: "note", "aria-label": t("Medical disclaimer") }, h("p", null, h("strong", null, t("Medical disclaimer. ")), clinic.medical_disclaimer)),
      people(page),
      related(page),
    ),
  );

  return {
    content: [article, bookingBand(clinic)],
    isDemo: page.is_demo,
    head: pageHead(page),
    structuredData: page.seo?.structured_data,
  };
}
