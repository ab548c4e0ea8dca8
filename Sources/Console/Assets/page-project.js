// One project: its header and tabs (shared by every project page), stats with the embedding
// coverage that moves while the queue drains, rename and delete.

import { api } from './api.js';
import { h, append, field, onSubmit, count, when, replace, pollWhile, announce, errorBox } from './dom.js';
import { confirmDialog } from './dialogs.js';
import { navigate } from './app.js';
import { coverageBar } from './page-projects.js';

const tabs = [
  ['', 'Overview'], ['/documents', 'Documents'], ['/search', 'Search'], ['/keys', 'Keys'], ['/sources', 'Sources'],
];

/** Loads the project and puts its heading (`headingOf(project)`) and tabs on `page`; returns it. */
export async function projectHeader(page, projectId, current, headingOf = (project) => project.name) {
  const { data: project } = await api('GET', `/projects/${encodeURIComponent(projectId)}`);
  append(page, 
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/projects' }, 'Projects'), ' / ', project.name),
    h('h1', {}, headingOf(project)),
    h('nav', { class: 'tabs', 'aria-label': 'Project' }, h('ul', {}, tabs.map(([suffix, label]) => h('li', {},
      h('a', { href: `#/projects/${project.id}${suffix}`, 'aria-current': suffix === current ? 'page' : null }, label))))));
  return project;
}

export async function renderProject(page, { params: [projectId] }) {
  const project = await projectHeader(page, projectId, '');
  const stats = h('div');
  const drawStats = (current) => replace(stats,
    h('dl', { class: 'stats' },
      h('div', {}, h('dt', {}, 'Documents'), h('dd', {}, count(current.stats.documents))),
      h('div', {}, h('dt', {}, 'Chunks'), h('dd', {}, count(current.stats.chunks))),
      h('div', {}, h('dt', {}, 'Embedded chunks'), h('dd', {}, count(current.stats.embeddedChunks))),
      h('div', {}, h('dt', {}, 'Embedding model'), h('dd', {}, current.stats.embeddingModel ?? 'none (full text only)'))),
    coverageBar(current.stats));
  drawStats(project);
  const draining = (current) => current.stats.embeddingModel && current.stats.embeddedChunks < current.stats.chunks;
  pollWhile(stats, 1500, async () => {
    const { data } = await api('GET', `/projects/${project.id}`);
    drawStats(data);
    if (!draining(data)) announce('Every chunk is embedded.');
    return draining(data);
  });

  const renameSlot = h('div');
  const rename = h('form', { class: 'card' },
    h('h2', {}, 'Name and description'),
    field('Name', h('input', { type: 'text', name: 'name', required: true, maxlength: 200, value: project.name })),
    field('Description', h('input', { type: 'text', name: 'description', maxlength: 2000, value: project.description ?? '' })),
    renameSlot,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save')));
  onSubmit(rename, renameSlot, async (data) => {
    await api('PATCH', `/projects/${project.id}`, { body: { name: data.get('name'), description: data.get('description') } });
    announce('Project saved.');
    navigate(`/projects/${project.id}`);
  });

  const deleteSlot = h('div');
  const remove = h('section', { class: 'card danger-zone' },
    h('h2', {}, 'Delete this project'),
    h('p', {}, 'Deletes its documents, keys and sources. This cannot be undone.'),
    deleteSlot,
    h('button', {
      type: 'button', class: 'danger',
      onclick: async () => {
        const confirmed = await confirmDialog({
          title: `Delete ${project.name}?`,
          message: `${count(project.stats.documents)} documents, every key and every source of this project will be deleted.`,
          confirmLabel: 'Delete project', typeToConfirm: project.name,
        });
        if (!confirmed) return;
        try {
          await api('DELETE', `/projects/${project.id}`);
          announce(`${project.name} deleted.`);
          navigate('/projects');
        } catch (error) {
          replace(deleteSlot, errorBox(error));
        }
      },
    }, 'Delete project…'));

  append(page, 
    stats,
    h('section', { class: 'card' },
      h('h2', {}, 'Use it'),
      h('p', {}, 'Project id: ', h('code', {}, project.id)),
      h('p', {}, 'Created ', when(project.createdAt), ' · full-access key begins ', h('code', {}, project.apiKeyPrefix))),
    rename, remove);
}

