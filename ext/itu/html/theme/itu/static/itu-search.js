// Search this language's pages with Pagefind's index (pagefind/, written by the build).
// Each page found lists the clauses that hold the words, each linked to its anchor:
// the build gives every clause's name to the index as the page's metadata "#anchor".
"use strict";
(() => {
  const box = document.querySelector(".itu-search");
  if (!box) return;
  const input = box.querySelector("input");
  const status = box.querySelector(".itu-search-status");
  const list = box.querySelector(".itu-search-results");
  const PAGES = 10, CLAUSES = 3, WORDS = 24, BEFORE = 5;
  let pagefind = null;
  box.hidden = false;

  const load = () => {
    pagefind ??= import(new URL("pagefind.js", new URL(box.dataset.bundle, location.href)).href);
    return pagefind;
  };

  // The page's words as Pagefind counts them (hit locations index into them).
  const wordsOf = (data) => {
    const raw = data.raw_content.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    const segmented = raw.includes("\u200B");  // Chinese: words split by zero-width spaces
    return {words: raw.split(segmented ? "\u200B" : /[\r\n\s]+/), joiner: segmented ? "" : " "};
  };

  // The hits grouped by the clause they fall in (null: before the first clause).
  const groups = (data) => {
    const clauses = data.anchors.filter((a) => data.meta[`#${a.id}`])
      .sort((a, b) => a.location - b.location);
    const found = new Map();
    for (const at of data.locations) {
      const index = clauses.findLastIndex((a) => a.location <= at);
      const key = index < 0 ? null : clauses[index];
      if (!found.has(key)) {
        found.set(key, {anchor: key, hits: [], end: clauses[index + 1]?.location ?? Infinity});
      }
      found.get(key).hits.push(at);
    }
    return [...found.values()].sort((a, b) => b.hits.length - a.hits.length);
  };

  const element = (tag, cls, text) => {
    const made = document.createElement(tag);
    if (cls) made.className = cls;
    if (text) made.textContent = text;
    return made;
  };

  const excerpt = ({words, joiner}, group) => {
    const from = group.anchor ? group.anchor.location : 0;
    const start = Math.max(from, Math.min(...group.hits) - BEFORE);
    const end = Math.min(group.end, start + WORDS, words.length);
    const shown = element("p", "itu-search-excerpt", start > from ? "…" : "");
    for (let at = start; at < end; at++) {
      if (at > start) shown.append(joiner);
      shown.append(group.hits.includes(at) ? element("mark", "", words[at]) : words[at]);
    }
    if (end < Math.min(group.end, words.length)) shown.append("…");
    return shown;
  };

  const link = (href, text) => {
    const made = element("a", "", text);
    made.href = href;
    return made;
  };

  const show = (data) => {
    const item = element("li");
    item.append(link(data.url, data.meta.title ?? data.url));
    const text = wordsOf(data);
    const found = groups(data).slice(0, CLAUSES);
    const clauses = element("ul", "itu-search-clauses");
    for (const group of found) {
      if (!group.anchor) {
        item.append(excerpt(text, group));
        continue;
      }
      const clause = element("li");
      clause.append(link(`${data.url}#${group.anchor.id}`, data.meta[`#${group.anchor.id}`]),
                    excerpt(text, group));
      clauses.append(clause);
    }
    if (clauses.childElementCount) item.append(clauses);
    return item;
  };

  const search = async () => {
    const query = input.value.trim();
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = box.dataset.searching;
    try {
      const found = await (await load()).debouncedSearch(query, {}, 200);
      if (found === null) return;  // a newer query is on its way
      const pages = await Promise.all(found.results.slice(0, PAGES).map((r) => r.data()));
      if (input.value.trim() !== query) return;
      list.replaceChildren(...pages.map(show));
      status.textContent = found.results.length
        ? box.dataset.count.replace("%s", found.results.length) : box.dataset.none;
    } catch (error) {
      status.textContent = box.dataset.failed;
      console.error(error);
    }
  };

  input.addEventListener("input", search);
  // fetch the index before the first word; a failure is told when searching
  input.addEventListener("focus", () => load().catch(() => {}), {once: true});
})();
