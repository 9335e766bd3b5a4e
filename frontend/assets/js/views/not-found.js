// No page, front-end route or redirect has this path.

import { callLink } from "../components.js";
import { h } from "../dom.js";

export function notFoundView({ url, clinic, indexPage }) {
  return {
    content: h(
      "div",
      { class: "wrap wrap--narrow section not-found" },
      h("h1", { tabindex: "-1" }, "Page not found"),
      h("p", { class: "lead" }, "We could not find a page at ", h("code", null, url.pathname), ". It may have moved, or the link may be mistyped."),
      indexPage &&
        h(
          "form",
          { class: "filters filters--inline", role: "search", "aria-label": "Articles", action: indexPage.meta.html_path, method: "get" },
          h("div", { class: "field" }, h("label", { for: "not-found-search" }, "Search our articles"), h("input", { id: "not-found-search", name: "q", type: "search" })),
          h("button", { type: "submit", class: "button" }, "Search"),
        ),
      h(
        "ul",
        { class: "link-list" },
        h("li", null, h("a", { href: "/" }, "Go to the home page")),
        indexPage && h("li", null, h("a", { href: indexPage.meta.html_path }, `Browse ${indexPage.title.toLowerCase()}`)),
      ),
      clinic?.phone && h("p", null, "Need help now? ", callLink(clinic, { className: "", label: `Call us at ${clinic.phone}` }), "."),
    ),
    head: { title: "Page not found", noindex: true },
    status: 404,
  };
}
