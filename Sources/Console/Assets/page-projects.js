// The signed-in person's projects: stats and embedding coverage, and creating a new one.

import { api, listAll } from './api.js';
import { h, append, field, onSubmit, count, plural, replace, pollWhile } from './dom.js';
import { secretPanel } from './dialogs.js';

/** The share of chunks with an embedding, as a labelled <progress> (no inline style needed). */
export function coverageBar(stats) {
  const chunks = stats?.chunks ?? 0;
  const embedded = stats?.embeddedChunks ?? 0;
  const percent = chunks === 0 ? 100 : Math.floor((embedded / chunks) * 100);
  const label = stats?.embeddingModel
    ? `Embedding coverage: ${percent}% (${count(embedded)} of ${plural(chunks, 'chunk', 'chunks')})`
    : 'No embedding model: full-text search only';
  return h('div', { class: 'coverage' },
    h('progress', { max: Math.max(chunks, 1), value: chunks === 0 ? 1 : embedded, 'aria-label': label }),
    h('span', { class: 'coverage-label' }, label));
}

export async function renderProjects(page) {
  const list = h('div', { class: 'grid' });
  const created = h('div');
  const slot = h('div');
  const form = h('form', { class: 'card' },
    h('h2', {}, 'New project'),
    field('Name', h('input', { type: 'text', name: 'name', required: true, maxlength: 200 })),
    field('Description', h('input', { type: 'text', name: 'description', maxlength: 2000 }), 'Optional.'),
    slot,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create project')));
  onSubmit(form, slot, async (data) => {
    const { data: project } = await api('POST', '/projects', { body: { name: data.get('name'), description: data.get('description') || undefined } });
    form.reset();
    replace(created, secretPanel({
      title: `API key of ${project.name}`,
      explanation: 'This full-access key is shown once. Keep it somewhere safe; you can create narrower keys on the Keys page.',
      secret: project.apiKey,
      extra: h('p', {}, h('a', { href: `#/projects/${project.id}` }, `Open ${project.name}`)),
    }));
    await load();
  });

  /** Draws the list; true while some project's embeddings are still being computed. */
  async function load() {
    const { items } = await listAll('/projects');
    if (items.length === 0) {
      replace(list, h('p', { class: 'muted' }, 'No projects yet: create the first one below.'));
      return false;
    }
    replace(list, items.map((project) => h('article', { class: 'card project-card' },
      h('h2', {}, h('a', { href: `#/projects/${project.id}` }, project.name)),
      project.description && h('p', { class: 'muted' }, project.description),
      h('p', {}, `${plural(project.stats.documents, 'document', 'documents')} · ${plural(project.stats.chunks, 'chunk', 'chunks')}`),
      coverageBar(project.stats),
      h('p', { class: 'links' },
        h('a', { href: `#/projects/${project.id}/documents` }, 'Documents'), ' ',
        h('a', { href: `#/projects/${project.id}/search` }, 'Search')))));
    return items.some((project) => project.stats.embeddingModel && project.stats.embeddedChunks < project.stats.chunks);
  }

  append(page, h('h1', {}, 'Projects'), list, created, form);
  if (await load()) pollWhile(list, 2000, load);
}
