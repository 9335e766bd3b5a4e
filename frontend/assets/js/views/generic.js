// Information pages (cms.InfoPage: the privacy notice...) and any other page type (e.g. one added to the CMS
// later): its title, intro or summary, last update and body, so nothing the API publishes is left without a page.

import { renderBody } from "../blocks.js";
import { bookingBand } from "../components.js";
import { formatDate, h, richText } from "../dom.js";
import { t } from "../i18n.js";
import { pageHead } from "../layout.js";

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
          page.last_updated && h("p", { class: "page-header__meta" }, t("Last updated "), h("time", { datetime: page.last_updated }, formatDate(page.last_updated))),
        ),
      ),
      page.body?.length ? h("div", { class: "wrap wrap--narrow section" }, h("div", { class: "prose" }, renderBody(page.body))) : null,
      bookingBand(clinic),
    ],
    isDemo: page.is_demo,
    head: pageHead(page),
    structuredData: page.seo?.structured_data,
  };
}
