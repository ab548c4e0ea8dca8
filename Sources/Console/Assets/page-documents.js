// A project's documents: a tree by path with counts, the rendered Markdown of one document, editing
// in place with version conflicts shown and resolvable, uploading files, deleting.

import { api, listAll } from './api.js';
import { h, append, field, onSubmit, count, plural, when, replace, announce, errorBox } from './dom.js';
import { confirmDialog } from './dialogs.js';
import { renderMarkdown } from './markdown.js';
import { navigate } from './app.js';
import { projectHeader } from './page-project.js';

const maximumDocumentBytes = 1024 * 1024;
const batchBytes = 4 * 1024 * 1024;
const batchItems = 100;
const treeLimit = 2000;

export async function renderDocuments(page, { params: [projectId], query }) {
  const project = await projectHeader(page, projectId, '/documents', (current) => `Documents of ${current.name}`);
  const address = (path) => `#/projects/${project.id}/documents?${new URLSearchParams({ path })}`;
  const selected = query.get('path');
  const folder = query.get('folder') ?? '';

  const tree = h('div', { class: 'tree-panel' });
  const viewer = h('section', { class: 'document-panel', 'aria-label': 'Document' });
  const refreshTree = () => drawTree(tree, project, folder, selected, address);
  append(page, h('div', { class: 'split' }, h('div', {}, tree, uploadPanel(project, folder, refreshTree)), viewer));

  await drawTree(tree, project, folder, selected, address);
  if (selected) await showDocument(viewer, project, selected, address);
  else replace(viewer, h('p', { class: 'muted' }, 'Choose a document in the tree, or upload files.'));
}

async function drawTree(container, project, folder, selected, address) {
  const filterSlot = h('div');
  const filter = h('form', { class: 'inline-form', role: 'search' },
    field('Folder', h('input', { type: 'text', name: 'folder', value: folder, placeholder: 'docs/', maxlength: 1024 })),
    h('button', { type: 'submit', class: 'secondary' }, 'Show'));
  onSubmit(filter, filterSlot, async (data) => {
    const params = new URLSearchParams();
    if (data.get('folder')) params.set('folder', data.get('folder'));
    navigate(`/projects/${project.id}/documents`, params);
  });
  const { items, total } = await listAll(`/projects/${project.id}/documents`, { sort: 'path', pathPrefix: folder || undefined }, treeLimit);
  const root = { name: '', folders: new Map(), files: [], count: 0 };
  for (const document of items) {
    const relative = document.path.slice(folder.length);
    const parts = relative.split('/');
    let node = root;
    node.count += 1;
    for (const part of parts.slice(0, -1)) {
      if (!node.folders.has(part)) node.folders.set(part, { name: part, folders: new Map(), files: [], count: 0 });
      node = node.folders.get(part);
      node.count += 1;
    }
    node.files.push({ name: parts.at(-1), document });
  }
  const renderNode = (node, prefix) => h('ul', { class: 'tree' },
    [...node.folders.values()].map((child) => {
      const childPrefix = `${prefix}${child.name}/`;
      const open = child.count <= 40 || (selected ?? '').startsWith(folder + childPrefix);
      return h('li', {}, h('details', { open },
        h('summary', {}, `${child.name}/ `, h('span', { class: 'count', 'aria-label': plural(child.count, 'document', 'documents') }, `(${count(child.count)})`)),
        renderNode(child, childPrefix)));
    }),
    node.files.map(({ name, document }) => h('li', {},
      h('a', { href: address(document.path), 'aria-current': document.path === selected ? 'page' : null, title: document.title }, name),
      document.source && h('span', { class: 'badge', title: 'From a Git source' }, 'git'))));
  replace(container,
    filter, filterSlot,
    h('p', { class: 'muted' }, `${plural(total, 'document', 'documents')}${folder ? ` under ${folder}` : ''}`,
      items.length < total ? ` (the first ${count(items.length)} are shown: narrow by folder)` : ''),
    items.length ? renderNode(root, '') : h('p', { class: 'muted' }, 'Nothing here yet.'));
}

async function showDocument(viewer, project, path, address) {
  let document;
  try {
    ({ data: document } = await api('GET', `/projects/${project.id}/documents/by-path`, { query: { path } }));
  } catch (error) {
    replace(viewer, errorBox(error));
    return;
  }
  const resolveLink = (href) => {
    if (/^(https?|mailto):/i.test(href)) return href;
    if (href.startsWith('#')) return address(document.path);
    const base = document.path.split('/').slice(0, -1);
    for (const part of href.split(/[?#]/)[0].split('/')) {
      if (part === '..') base.pop(); else if (part !== '.' && part !== '') base.push(part);
    }
    return address(base.join('/'));
  };
  const slot = h('div');
  const owned = Boolean(document.source);
  replace(viewer,
    h('h2', {}, document.title || document.path),
    h('p', { class: 'meta' },
      h('code', {}, document.path), ' · version ', String(document.version), ' · updated ', when(document.updatedAt),
      ' · embeddings: ', document.embeddingStatus),
    document.tags.length > 0 && h('ul', { class: 'tags', 'aria-label': 'Tags' }, document.tags.map((tag) => h('li', {}, tag))),
    owned && h('p', { class: 'notice' }, 'From a Git source (commit ', h('code', {}, document.source.commit.slice(0, 12)),
      ', file ', h('code', {}, document.source.path), '): change it in the repository, then sync.'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', disabled: owned, onclick: () => editDocument(viewer, project, document, address) }, 'Edit'),
      h('button', {
        type: 'button', class: 'danger', disabled: owned,
        onclick: async () => {
          const confirmed = await confirmDialog({ title: `Delete ${document.path}?`, message: 'The document and its embeddings are deleted.', confirmLabel: 'Delete document' });
          if (!confirmed) return;
          try {
            await api('DELETE', `/projects/${project.id}/documents/${document.id}`);
            announce(`${document.path} deleted.`);
            navigate(`/projects/${project.id}/documents`);
          } catch (error) {
            replace(slot, errorBox(error));
          }
        },
      }, 'Delete…')),
    slot,
    h('article', { class: 'markdown' }, renderMarkdown(document.content, { resolveLink })));
}

function editDocument(viewer, project, document, address) {
  let base = document;
  const slot = h('div');
  const content = h('textarea', { name: 'content', rows: 22, spellcheck: 'true', value: document.content });
  const form = h('form', { class: 'editor' },
    h('h2', {}, `Editing ${document.path}`),
    field('Title', h('input', { type: 'text', name: 'title', value: document.title, maxlength: 500 })),
    field('Tags', h('input', { type: 'text', name: 'tags', value: document.tags.join(', ') }), 'Separated by commas.'),
    field('Content (Markdown)', content),
    slot,
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, 'Save'),
      h('button', { type: 'button', class: 'secondary', onclick: () => showDocument(viewer, project, document.path, address) }, 'Cancel')));

  const save = async (data, version) => {
    const tags = String(data.get('tags')).split(',').map((tag) => tag.trim()).filter(Boolean);
    await api('PUT', `/projects/${project.id}/documents/${document.id}`, {
      body: { content: data.get('content'), title: data.get('title'), tags, version },
    });
    announce('Saved.');
    await showDocument(viewer, project, document.path, address);
  };

  onSubmit(form, slot, async (data) => {
    try {
      await save(data, base.version);
    } catch (error) {
      if (error.status !== 409 || error.code !== 'conflict') throw error;
      const { data: latest } = await api('GET', `/projects/${project.id}/documents/${document.id}`);
      replace(slot, h('div', { class: 'conflict', role: 'alert' },
        h('p', {}, h('strong', {}, `Someone saved version ${latest.version} while you were editing version ${base.version}.`)),
        h('p', {}, 'Your changes are still in the editor. Compare, then keep yours (replacing theirs) or take theirs.'),
        h('details', { open: true }, h('summary', {}, `Their version ${latest.version}`),
          h('pre', { class: 'their-version' }, latest.content)),
        h('div', { class: 'actions' },
          h('button', {
            type: 'button',
            onclick: async () => {
              base = latest;
              try { await save(new FormData(form), latest.version); } catch (again) { replace(slot, errorBox(again)); }
            },
          }, 'Keep mine (overwrite theirs)'),
          h('button', {
            type: 'button', class: 'secondary',
            onclick: () => showDocument(viewer, project, document.path, address),
          }, 'Take theirs (discard mine)'))));
    }
  });
  replace(viewer, form);
  content.focus();
}

/** The upload form; `done` redraws the tree once files are stored. */
function uploadPanel(project, folder, done) {
  const slot = h('div');
  const results = h('div', { role: 'status' });
  const files = h('input', { type: 'file', name: 'files', multiple: true, required: true, accept: '.md,.markdown,.txt,.rst,.adoc,text/markdown,text/plain' });
  const form = h('form', { class: 'card upload' },
    h('h2', {}, 'Upload'),
    field('Files', files, 'Markdown or text, up to 1 MiB each. A file whose path exists replaces that document.'),
    field('Into folder', h('input', { type: 'text', name: 'prefix', value: folder, placeholder: 'docs/', maxlength: 1024 })),
    slot,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Upload')),
    results);
  onSubmit(form, slot, async (data) => {
    let prefix = String(data.get('prefix') ?? '').trim();
    if (prefix && !prefix.endsWith('/')) prefix += '/';
    const skipped = [];
    const items = [];
    for (const file of files.files) {
      const path = prefix + (file.webkitRelativePath || file.name);
      if (file.size > maximumDocumentBytes) { skipped.push({ path, message: 'over 1 MiB' }); continue; }
      items.push({ path, content: await file.text() });
    }
    const tally = { created: 0, updated: 0, unchanged: 0, error: 0 };
    const failures = [...skipped];
    let batch = [];
    let bytes = 0;
    const send = async () => {
      if (batch.length === 0) return;
      const { data: outcome } = await api('POST', `/projects/${project.id}/documents/bulk`, { body: { documents: batch, mode: 'upsert' } });
      for (const item of outcome) {
        tally[item.status] += 1;
        if (item.status === 'error') failures.push({ path: item.path, message: item.error?.message ?? 'refused' });
      }
      batch = [];
      bytes = 0;
    };
    for (const item of items) {
      const size = new Blob([item.content]).size + item.path.length + 64;
      if (batch.length >= batchItems || bytes + size > batchBytes) await send();
      batch.push(item);
      bytes += size;
    }
    await send();
    const summary = `Uploaded: ${tally.created} created, ${tally.updated} updated, ${tally.unchanged} unchanged, ${tally.error + skipped.length} not stored.`;
    replace(results, h('p', {}, summary),
      failures.length > 0 && h('ul', { class: 'failures' }, failures.map((failure) => h('li', {}, h('code', {}, failure.path), `: ${failure.message}`))));
    announce(summary);
    form.reset();
    if (tally.created + tally.updated > 0) await done();
  });
  return form;
}
