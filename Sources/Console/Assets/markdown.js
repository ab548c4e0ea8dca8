// Markdown to DOM nodes, for documents written by anyone. Nothing in a document can run: text only
// ever becomes text nodes (raw HTML is shown as the characters it is), elements come from a fixed
// list, and a link keeps its target only if it is http(s), mailto, an anchor or a relative path;
// `javascript:`, `data:` and every other scheme lose the link. Images are shown as links, so a
// document never makes the browser fetch anything.

import { h } from './dom.js';

/**
 * Renders `source` into a DocumentFragment. `resolveLink(href)` may turn a relative link into a
 * console address (or return it unchanged).
 */
export function renderMarkdown(source, { resolveLink = (href) => href } = {}) {
  const fragment = document.createDocumentFragment();
  const lines = String(source).replace(/\r\n?/g, '\n').split('\n');
  renderBlocks(lines, fragment, resolveLink);
  return fragment;
}

/** The target a link may keep, or null when it must not be followed. */
export function safeHref(raw) {
  // Markdown decodes character references in a destination ("jav&#x09;ascript:"), and browsers
  // ignore control characters and spaces inside a scheme ("java\tscript:"): so do we, first.
  const href = decodeReferences(String(raw)).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (href === '') return null;
  // A colon before any '/', '?' or '#' reads as a scheme: only http(s) and mailto are kept.
  const scheme = /^([^/?#]*?):/.exec(href);
  if (scheme) return ['http', 'https', 'mailto'].includes(scheme[1].toLowerCase()) ? href : null;
  // Browsers read '\' as '/': "//host", "/\host" and "\\host" all leave the server.
  return href.replace(/\\/g, '/').startsWith('//') ? null : href;
}

const namedReferences = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', Tab: '\t', NewLine: '\n', sol: '/', num: '#', quest: '?', period: '.' };

function decodeReferences(text) {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]+));/g, (whole, decimal, hex, name) => {
    if (name) return namedReferences[name] ?? whole;
    const code = decimal ? Number(decimal) : parseInt(hex, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}

const fence = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const heading = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const rule = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const bullet = /^(\s*)([-*+])\s+(.*)$/;
const ordinal = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const quote = /^ {0,3}>\s?(.*)$/;
const tableDivider = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function renderBlocks(lines, parent, resolveLink) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') { i += 1; continue; }

    const open = fence.exec(line);
    if (open) {
      const marker = open[1];
      const body = [];
      i += 1;
      while (i < lines.length && !lines[i].trim().startsWith(marker)) body.push(lines[i++]);
      i += 1;
      const code = h('code', open[2] ? { 'data-language': open[2] } : {}, body.join('\n'));
      parent.append(h('pre', {}, code));
      continue;
    }
    const title = heading.exec(line);
    if (title) {
      parent.append(h(`h${title[1].length}`, {}, inline(title[2] ?? '', resolveLink)));
      i += 1;
      continue;
    }
    if (rule.test(line)) { parent.append(h('hr')); i += 1; continue; }
    if (quote.test(line)) {
      const body = [];
      while (i < lines.length && quote.test(lines[i])) body.push(quote.exec(lines[i++])[1]);
      const block = h('blockquote');
      renderBlocks(body, block, resolveLink);
      parent.append(block);
      continue;
    }
    if (bullet.test(line) || ordinal.test(line)) {
      i = renderList(lines, i, parent, resolveLink);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && tableDivider.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      i = renderTable(lines, i, parent, resolveLink);
      continue;
    }
    const paragraph = [];
    while (i < lines.length && lines[i].trim() !== '' && !startsBlock(lines[i])) paragraph.push(lines[i++].trim());
    if (paragraph.length === 0) paragraph.push(lines[i++].trim());
    parent.append(h('p', {}, inline(paragraph.join('\n'), resolveLink)));
  }
}

function startsBlock(line) {
  return fence.test(line) || heading.test(line) || rule.test(line) || quote.test(line) || bullet.test(line) || ordinal.test(line);
}

function renderList(lines, start, parent, resolveLink) {
  const first = bullet.exec(lines[start]) ?? ordinal.exec(lines[start]);
  const ordered = !bullet.test(lines[start]);
  const indent = first[1].length;
  const list = ordered ? h('ol', Number(first[2]) !== 1 ? { start: Number(first[2]) } : {}) : h('ul');
  let i = start;
  let item = null;
  while (i < lines.length) {
    const line = lines[i];
    const match = ordered ? ordinal.exec(line) : bullet.exec(line);
    if (match && match[1].length === indent) {
      const text = ordered ? match[3] : match[3];
      const task = /^\[([ xX])\]\s+(.*)$/.exec(text);
      item = h('li', {}, task ? [h('input', { type: 'checkbox', disabled: true, checked: task[1] !== ' ', 'aria-label': task[1] !== ' ' ? 'done' : 'not done' }), ' ', inline(task[2], resolveLink)] : inline(text, resolveLink));
      list.append(item);
      i += 1;
    } else if (item && line.trim() !== '' && (line.match(/^\s*/)[0].length > indent) && (bullet.test(line) || ordinal.test(line))) {
      i = renderList(lines, i, item, resolveLink);
    } else if (item && line.trim() !== '' && !startsBlock(line)) {
      item.append(' ', ...inline(line.trim(), resolveLink));
      i += 1;
    } else {
      break;
    }
  }
  parent.append(list);
  return i;
}

function splitRow(line) {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

function renderTable(lines, start, parent, resolveLink) {
  const header = splitRow(lines[start]);
  const table = h('table', {}, h('thead', {}, h('tr', {}, header.map((cell) => h('th', { scope: 'col' }, inline(cell, resolveLink))))));
  const body = h('tbody');
  let i = start + 2;
  while (i < lines.length && lines[i].includes('|') && lines[i].trim() !== '') {
    body.append(h('tr', {}, splitRow(lines[i]).map((cell) => h('td', {}, inline(cell, resolveLink)))));
    i += 1;
  }
  table.append(body);
  parent.append(h('div', { class: 'table-scroll' }, table));
  return i;
}

// Inline: code spans, links and images, autolinks, strong, emphasis, strike-through, line breaks.
function inline(text, resolveLink, depth = 0) {
  const nodes = [];
  let plain = '';
  const flush = () => { if (plain) { nodes.push(document.createTextNode(plain)); plain = ''; } };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const char = text[i];
    if (char === '\\' && i + 1 < text.length && /[\\`*_{}[\]()#+\-.!|~<>]/.test(text[i + 1])) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (char === '`') {
      const ticks = /^`+/.exec(rest)[0];
      const end = text.indexOf(ticks, i + ticks.length);
      if (end > 0) {
        flush();
        nodes.push(h('code', {}, text.slice(i + ticks.length, end).trim()));
        i = end + ticks.length;
        continue;
      }
    }
    const link = depth < 4 ? /^(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/.exec(rest) : null;
    if (link) {
      flush();
      nodes.push(linkNode(link[2], link[3], link[1] === '!', resolveLink, depth));
      i += link[0].length;
      continue;
    }
    const autolink = /^<((?:https?|mailto):[^\s<>]+)>/i.exec(rest);
    if (autolink) {
      flush();
      nodes.push(linkNode(autolink[1], autolink[1], false, resolveLink, depth));
      i += autolink[0].length;
      continue;
    }
    // Underscores never open or close inside a word (snake__case, window.__name stay text).
    const opensHere = char === '*' || !/\w/.test(text[i - 1] ?? '');
    const strongPattern = char === '_' ? /^__(?=\S)([\s\S]*?\S)__(?!\w)/ : /^\*\*(?=\S)([\s\S]*?\S)\*\*/;
    const strong = depth < 4 && opensHere && (char === '*' || char === '_') ? strongPattern.exec(rest) : null;
    if (strong) {
      flush();
      nodes.push(h('strong', {}, inline(strong[1], resolveLink, depth + 1)));
      i += strong[0].length;
      continue;
    }
    const strike = depth < 4 ? /^~~(?=\S)([\s\S]*?\S)~~/.exec(rest) : null;
    if (strike) {
      flush();
      nodes.push(h('del', {}, inline(strike[1], resolveLink, depth + 1)));
      i += strike[0].length;
      continue;
    }
    const emphasis = depth < 4 && opensHere && (char === '*' || char === '_')
      ? (char === '_' ? /^(_)(?=\S)([\s\S]*?\S)_(?!\w)/ : /^(\*)(?=\S)([\s\S]*?\S)\*/).exec(rest) : null;
    if (emphasis) {
      flush();
      nodes.push(h('em', {}, inline(emphasis[2], resolveLink, depth + 1)));
      i += emphasis[0].length;
      continue;
    }
    if (char === '\n') {
      if (plain.endsWith('  ')) { plain = plain.trimEnd(); flush(); nodes.push(h('br')); } else plain += ' ';
      i += 1;
      continue;
    }
    plain += char;
    i += 1;
  }
  flush();
  return nodes;
}

function linkNode(label, target, isImage, resolveLink, depth) {
  const text = isImage ? `Image: ${label || target}` : label;
  const allowed = safeHref(target);
  const href = allowed === null ? null : resolveLink(allowed);
  const content = isImage ? text : inline(text, resolveLink, depth + 1);
  if (href === null) {
    return h('span', { class: 'link-removed', title: 'Link removed: only http, https, mailto and relative links are kept' }, content);
  }
  const external = /^(https?|mailto):/i.test(href);
  return h('a', external ? { href, rel: 'noopener noreferrer nofollow', class: 'external' } : { href }, content);
}
