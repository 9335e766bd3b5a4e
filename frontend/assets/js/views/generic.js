// Any other page type (e.g. one added to the CMS later): its title, intro or summary and body, so nothing the
// API publishes is left without a page.

import { renderBody } from "../blocks.js";
import { bookingBand } from "../components.js";
import { h, richText } from "../dom.js";

export function genericView({ page, clinic }) {
  const intro = page.intro || page.summary;
  return {
    content: [
      h(
        "div",
        { class: "page-header" },
        h(
          "div",
          { class: "wrap wrap--narrow" },
          h("h1", { tabindex: "-1" }, page.title),
          intro && (intro.trim().startsWith("<") ? h("div", { class: "lead rich-text" }, richText(intro)) : h("p", { class: "lead" }, intro)),
        ),
      ),
      page.body?.length ? h("div", { class: "wrap wrap--narrow section" }, h("div", { class: "prose" }, renderBody(page.body))) : null,
      bookingBand(clinic),
    ],
    isDemo: page.is_demo,
    head: { title: page.seo?.title || page.title, description: page.seo?.description || page.summary, canonical: page.seo?.canonical_url },
  };
}
