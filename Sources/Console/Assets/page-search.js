// The search playground: query, mode, fusion and filters; each hit with its snippet, heading
// trail, rank in each leg and what found it; what actually ran, why, and how long it took.

import { api } from './api.js';
import { h, append, field, count, plural, replace, announce, errorBox } from './dom.js';
import { renderSnippet } from './snippet.js';
import { remember } from './app.js';
import { projectHeader } from './page-project.js';

const modes = [['hybrid', 'Hybrid (words and meaning)'], ['fulltext', 'Full text (words)'], ['semantic', 'Semantic (meaning)']];
const legs = { fulltext: 'full text', semantic: 'meaning' };

export async function renderSearch(page, { params: [projectId], query }) {
  const project = await projectHeader(page, projectId, '/search', (current) => `Search ${current.name}`);
  const path = `/projects/${project.id}/search`;
  const results = h('section', { 'aria-label': 'Results' });
  const value = (name, fallback = '') => query.get(name) ?? fallback;

  const ratio = h('input', { type: 'number', name: 'semanticRatio', min: 0, max: 1, step: 0.05, value: value('semanticRatio', '0.5') });
  const ratioField = field('Semantic weight', ratio, '0 is words only, 1 is meaning only.');
  const fusion = h('select', { name: 'fusion' },
    h('option', { value: 'rrf', selected: value('fusion', 'rrf') === 'rrf' }, 'Reciprocal rank fusion'),
    h('option', { value: 'linear', selected: value('fusion') === 'linear' }, 'Weighted scores'));
  const showRatio = () => { ratioField.hidden = fusion.value !== 'linear'; };
  fusion.addEventListener('change', showRatio);
  showRatio();

  const form = h('form', { class: 'card search-form', role: 'search' },
    field('Query', h('input', { type: 'search', name: 'q', required: true, value: value('q'), maxlength: 4096, placeholder: 'rotate TLS certificate' }),
      'Words, "exact phrases", -excluded, prefix*'),
    h('fieldset', { class: 'modes' }, h('legend', {}, 'Mode'),
      modes.map(([mode, label]) => h('label', { class: 'choice' },
        h('input', { type: 'radio', name: 'mode', value: mode, checked: value('mode', 'hybrid') === mode }), ` ${label}`))),
    h('details', { class: 'options', open: Boolean(query.get('pathPrefix') || query.get('tag') || query.get('fusion')) },
      h('summary', {}, 'Fusion and filters'),
      field('Fusion', fusion),
      ratioField,
      field('Folder', h('input', { type: 'text', name: 'pathPrefix', value: value('pathPrefix'), placeholder: 'docs/', maxlength: 1024 })),
      field('Tag', h('input', { type: 'text', name: 'tag', value: value('tag'), maxlength: 64 })),
      field('Hits per page', h('select', { name: 'limit' }, [10, 20, 50].map((n) => h('option', { value: n, selected: Number(value('limit', '10')) === n }, String(n)))))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')));

  const parameters = (offset) => {
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const name of ['q', 'mode', 'pathPrefix', 'tag', 'limit']) if (data.get(name)) params.set(name, data.get(name));
    if (data.get('fusion') && data.get('fusion') !== 'rrf') {
      params.set('fusion', data.get('fusion'));
      params.set('semanticRatio', data.get('semanticRatio'));
    }
    if (offset > 0) params.set('offset', String(offset));
    return params;
  };

  async function run(offset) {
    const params = parameters(offset);
    remember(path, params);
    replace(results, h('p', { class: 'muted' }, 'Searching…'));
    try {
      const { data: hits, meta } = await api('GET', path, { query: Object.fromEntries(params) });
      replace(results, summary(meta), hits.length ? h('ol', { class: 'hits', start: meta.offset + 1 }, hits.map((hit) => hitView(project, hit))) : null,
        pager(meta, run));
      announce(`${plural(meta.total, 'hit', 'hits')}.`);
    } catch (error) {
      replace(results, errorBox(error));
    }
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); run(0); });
  append(page, form, results);
  if (query.get('q')) await run(Number(query.get('offset') ?? 0) || 0);
}

const modeNames = { hybrid: 'hybrid', fulltext: 'full text', semantic: 'semantic' };

function summary(meta) {
  const sentences = [`${plural(meta.total, 'document matches', 'documents match')}; the search took ${meta.tookMs.toFixed(1)} ms and ran as ${modeNames[meta.mode]}.`];
  if (meta.fallbackReason) sentences.push(`You asked for ${modeNames[meta.requestedMode]}, so it fell back to full text: ${meta.fallbackReason}`);
  if (meta.relaxed) sentences.push('No document had every required phrase or exclusion, so the words were searched on their own.');
  return h('div', { class: meta.fallbackReason ? 'notice' : 'summary', role: 'status' }, sentences.map((sentence) => h('p', {}, sentence)));
}

function hitView(project, hit) {
  const ranks = Object.entries(hit.ranks ?? {}).map(([leg, rank]) => `${legs[leg] ?? leg} #${rank}`);
  return h('li', { class: 'hit' },
    h('h3', {}, h('a', { href: `#/projects/${project.id}/documents?${new URLSearchParams({ path: hit.path })}` }, hit.title || hit.path)),
    h('p', { class: 'meta' }, h('code', {}, hit.path), hit.chunk?.heading ? [' › ', h('span', { class: 'heading-trail' }, hit.chunk.heading)] : null),
    h('p', { class: 'snippet' }, renderSnippet(hit.snippet)),
    h('p', { class: 'why' },
      `Found by ${hit.matchedBy.map((leg) => legs[leg] ?? leg).join(' and ')}`,
      ranks.length ? ` (rank ${ranks.join(', ')})` : '', ` · score ${hit.score.toPrecision(3)}`,
      hit.source ? ` · from Git ${hit.source.commit.slice(0, 12)}` : ''));
}

function pager(meta, run) {
  if (meta.total <= meta.limit) return null;
  const last = Math.min(meta.offset + meta.limit, meta.total);
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', class: 'secondary', disabled: meta.offset === 0, onclick: () => run(Math.max(0, meta.offset - meta.limit)) }, 'Previous'),
    h('span', {}, `Hits ${count(meta.offset + 1)}–${count(last)} of ${count(meta.total)}`),
    h('button', { type: 'button', class: 'secondary', disabled: last >= meta.total || last >= 10000, onclick: () => run(meta.offset + meta.limit) }, 'Next'));
}
