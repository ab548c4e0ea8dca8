// A search hit's snippet is HTML-escaped text whose matches are wrapped in <mark>…</mark>. It is
// never given to the HTML parser: the text between the marks is unescaped into text nodes and the
// marks become <mark> elements, so a document's "<script>" stays text.

import { h } from './dom.js';

const entities = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&#34;': '"' };

export function unescapeText(text) {
  return text.replace(/&(?:amp|lt|gt|quot|#39|#x27|#34);/g, (entity) => entities[entity]);
}

/** The snippet as nodes: text and <mark> elements, nothing else. */
export function renderSnippet(snippet) {
  const nodes = [];
  let marked = false;
  for (const part of String(snippet ?? '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') { marked = true; continue; }
    if (part === '</mark>') { marked = false; continue; }
    if (part === '') continue;
    const text = unescapeText(part);
    nodes.push(marked ? h('mark', {}, text) : document.createTextNode(text));
  }
  return nodes;
}
