// A project's Git sources: add one, sync now, watch its status, last commit and last error.

import { api, listAll } from './api.js';
import { h, append, field, onSubmit, count, when, replace, pollWhile, announce, errorBox } from './dom.js';
import { confirmDialog, secretPanel } from './dialogs.js';
import { projectHeader } from './page-project.js';

const phases = { fetching: 'fetching', comparing: 'comparing', reading: 'reading files', applying: 'applying changes' };
const lines = (text) => String(text ?? '').split(/[\n,]/).map((line) => line.trim()).filter(Boolean);

export async function renderSources(page, { params: [projectId] }) {
  const project = await projectHeader(page, projectId, '/sources', (current) => `Sources of ${current.name}`);
  const base = `/projects/${project.id}/sources`;
  const list = h('div', { 'aria-live': 'polite' });
  const shown = h('div');
  const listSlot = h('div');

  const statusOf = (source) => {
    if (source.status === 'syncing') {
      const progress = source.progress;
      return h('span', { class: 'status syncing' }, 'Syncing',
        progress ? ` (${phases[progress.phase] ?? progress.phase}${progress.total ? `: ${count(progress.done)} of ${count(progress.total)}` : ''})` : '…');
    }
    return h('span', { class: `status ${source.status}` }, source.status === 'error' ? 'Failed' : 'Up to date');
  };

  async function load() {
    const { items } = await listAll(base);
    if (items.length === 0) {
      replace(list, h('p', { class: 'muted' }, 'No sources yet: add a Git repository below and its Markdown files become documents.'));
      return false;
    }
    replace(list, items.map((source) => h('article', { class: 'card source' },
      h('h2', {}, h('code', {}, source.url), ' ', h('span', { class: 'muted' }, `@ ${source.ref}`)),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Status'), h('dd', {}, statusOf(source))),
        h('div', {}, h('dt', {}, 'Last commit'), h('dd', {}, source.lastCommit ? h('code', { title: source.lastCommit }, source.lastCommit.slice(0, 12)) : h('span', { class: 'muted' }, 'none yet'))),
        h('div', {}, h('dt', {}, 'Last synced'), h('dd', {}, when(source.lastSyncedAt))),
        h('div', {}, h('dt', {}, 'Documents'), h('dd', {}, count(source.documents))),
        h('div', {}, h('dt', {}, 'Files'), h('dd', {}, source.include.join(', '), source.exclude.length ? ` except ${source.exclude.join(', ')}` : '')),
        h('div', {}, h('dt', {}, 'Into folder'), h('dd', {}, source.pathPrefix ? h('code', {}, source.pathPrefix) : 'the project’s root')),
        h('div', {}, h('dt', {}, 'Every'), h('dd', {}, `${count(source.intervalSeconds)} s`))),
      source.lastError && h('div', { class: 'error' }, h('p', {}, h('strong', {}, 'Last sync failed: '), source.lastError),
        h('p', { class: 'advice' }, 'Check the address, the branch and the server’s access to the repository; the next sync retries.')),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', disabled: source.status === 'syncing',
          onclick: async () => {
            try {
              await api('POST', `${base}/${source.id}/sync`);
              announce('Sync started.');
              await refresh();
            } catch (error) {
              replace(listSlot, errorBox(error));
            }
          },
        }, 'Sync now'),
        h('button', {
          type: 'button', class: 'danger',
          onclick: async () => {
            const confirmed = await confirmDialog({
              title: 'Remove this source?', message: `Its ${count(source.documents)} documents are deleted from the project (the repository is not touched).`, confirmLabel: 'Remove source',
            });
            if (!confirmed) return;
            try {
              await api('DELETE', `${base}/${source.id}`);
              announce('Source removed.');
              await load();
            } catch (error) {
              replace(listSlot, errorBox(error));
            }
          },
        }, 'Remove…')))));
    return items.some((source) => source.status === 'syncing');
  }

  let polling = false;
  async function refresh() {
    const syncing = await load();
    if (syncing && !polling) {
      polling = true;
      pollWhile(list, 1000, async () => {
        const again = await load();
        polling = again;
        return again;
      });
    }
  }

  const slot = h('div');
  const form = h('form', { class: 'card' },
    h('h2', {}, 'Add a Git source'),
    field('Repository', h('input', { type: 'text', name: 'url', required: true, placeholder: 'https://github.com/team/handbook.git', maxlength: 2048 }),
      'https://, ssh:// or a path on the server. Credentials come from the server’s environment, never from here.'),
    field('Branch or tag', h('input', { type: 'text', name: 'ref', value: 'main', maxlength: 255 })),
    field('Include', h('textarea', { name: 'include', rows: 2, value: '**/*.md\n**/*.markdown\n**/*.txt' }), 'Glob patterns, one per line.'),
    field('Exclude', h('textarea', { name: 'exclude', rows: 2 }), 'Optional glob patterns, one per line.'),
    field('Into folder', h('input', { type: 'text', name: 'pathPrefix', placeholder: 'handbook/', maxlength: 1024 }), 'Optional: where the files land in the project.'),
    field('Sync every (seconds)', h('input', { type: 'number', name: 'intervalSeconds', value: 300, min: 10, max: 604800 })),
    slot,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add source')));
  onSubmit(form, slot, async (data) => {
    const body = { kind: 'git', url: data.get('url'), ref: data.get('ref') || 'main', include: lines(data.get('include')), exclude: lines(data.get('exclude')) };
    if (data.get('pathPrefix')) body.pathPrefix = data.get('pathPrefix');
    if (data.get('intervalSeconds')) body.intervalSeconds = Number(data.get('intervalSeconds'));
    const { data: created } = await api('POST', base, { body });
    form.reset();
    const hook = `${location.origin}/api/v1${base}/${created.id}/sync`;
    replace(shown, secretPanel({
      title: 'Webhook secret',
      explanation: 'Shown once. To sync on every push, add a webhook on your Git host with this URL and secret (GitHub/Gitea: content type application/json, the secret signs each push; GitLab: the secret is the token).',
      secret: created.webhookSecret,
      extra: h('p', {}, 'Webhook URL: ', h('code', {}, hook)),
    }));
    announce('Source added.');
    await refresh();
  });

  append(page, shown, listSlot, list, form);
  await refresh();
}
