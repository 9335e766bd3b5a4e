// The article list (cms.ArticleIndexPage): every article under it, narrowed by ?topic=<slug> and ?q=<words>.
// Both come from the address bar, so they are only ever used as text, form values and API query parameters.

import * as api from "../api.js";
import { articleCard, bookingBand } from "../components.js";
import { h } from "../dom.js";
import { pageHead } from "../layout.js";

const PAGE_SIZE = 50;

export async function articleIndexView({ page, clinic, url }) {
  const query = (url.searchParams.get("q") || "").trim();
  const topicSlug = url.searchParams.get("topic") || "";
  const [topics, results] = await Promise.all([
    api.topics(),
    api.articles({
      child_of: page.id,
      topic: topicSlug,
      search: query,
      // Search results come in relevance order; Wagtail refuses an explicit order together with search.
      order: query ? null : "-first_published_at",
      limit: PAGE_SIZE,
    }),
  ]);
  const topic = topics.find((t) => t.slug === topicSlug);

  const filters = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Articles", action: page.meta.html_path, method: "get" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "article-search" }, "Search articles"),
      h("input", { id: "article-search", name: "q", type: "search", value: query, autocomplete: "off" }),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "article-topic" }, "Topic"),
      h(
        "select",
        { id: "article-topic", name: "topic" },
        h("option", { value: "" }, "All topics"),
        topics.map((t) => h("option", { value: t.slug, selected: t.slug === topicSlug }, t.name)),
      ),
    ),
    h("button", { type: "submit", class: "button" }, "Show articles"),
  );
  // The router turns GET form submissions into navigations; changing the topic applies it at once.
  filters.querySelector("select").addEventListener("change", () => filters.requestSubmit());

  const described = [topic && `about ${topic.name}`, query && `matching “${query}”`].filter(Boolean).join(" ");
  const count = results.meta.total_count;
  const summary = `${count} ${count === 1 ? "article" : "articles"}${described ? ` ${described}` : ""}`;

  const list = results.items.length
    ? h("ul", { class: "card-grid", id: "article-list" }, results.items.map((article) => h("li", null, articleCard(article, { headingLevel: "h3" }))))
    : h(
        "div",
        { class: "empty", id: "article-list" },
        h("p", null, "No articles match. Try other words, or ", h("a", { href: page.meta.html_path }, "see every article"), "."),
      );

  return {
    content: [
      h(
        "div",
        { class: "page-header" },
        h(
          "div",
          { class: "wrap" },
          h("h1", { tabindex: "-1" }, page.title),
          page.intro && h("p", { class: "lead" }, page.intro),
        ),
      ),
      h(
        "section",
        { class: "wrap section", "aria-labelledby": "results-heading" },
        filters,
        h("h2", { id: "results-heading", class: "results-heading" }, h("span", { class: "results-count", "data-announce": "" }, summary)),
        list,
      ),
      bookingBand(clinic),
    ],
    isDemo: page.is_demo,
    head: { ...pageHead(page), title: topic ? `${topic.name}: ${pageHead(page).title}` : pageHead(page).title, noindex: Boolean(query) },
    structuredData: page.seo?.structured_data,
  };
}
