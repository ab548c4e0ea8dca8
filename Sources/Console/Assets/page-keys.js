// A project's API keys: create scoped keys (the secret shown once), see when each was last used,
// revoke. The project's full-access key can be rotated here too.

import { api, listAll } from './api.js';
import { h, append, field, onSubmit, when, replace, announce, errorBox } from './dom.js';
import { confirmDialog, secretPanel } from './dialogs.js';
import { projectHeader } from './page-project.js';

export async function renderKeys(page, { params: [projectId] }) {
  const project = await projectHeader(page, projectId, '/keys', (current) => `Keys of ${current.name}`);
  const base = `/projects/${project.id}/keys`;
  const table = h('div');
  const shown = h('div');
  const tableSlot = h('div');

  async function load() {
    const { items } = await listAll(base);
    if (items.length === 0) {
      replace(table, h('p', { class: 'muted' }, 'No scoped keys yet. The project’s full-access key is not listed here.'));
      return;
    }
    replace(table, h('div', { class: 'table-scroll' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, 'API keys'),
      h('thead', {}, h('tr', {}, ['Name', 'Key', 'Access', 'Folder', 'Created', 'Last used', 'Expires', ''].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, items.map((key) => h('tr', {},
        h('td', {}, key.name),
        h('td', {}, h('code', {}, `${key.prefix}…`)),
        h('td', {}, key.access === 'read' ? 'read only' : 'read and write'),
        h('td', {}, key.pathPrefix ? h('code', {}, key.pathPrefix) : h('span', { class: 'muted' }, 'whole project')),
        h('td', {}, when(key.createdAt)),
        h('td', {}, when(key.lastUsedAt)),
        h('td', {}, key.expiresAt ? when(key.expiresAt) : h('span', { class: 'muted' }, 'never')),
        h('td', {}, h('button', {
          type: 'button', class: 'danger small', 'aria-label': `Revoke ${key.name}`,
          onclick: async () => {
            const confirmed = await confirmDialog({
              title: `Revoke ${key.name}?`,
              message: 'Every request with this key is refused from now on, on every Lore instance.',
              confirmLabel: 'Revoke key',
            });
            if (!confirmed) return;
            try {
              await api('DELETE', `${base}/${key.id}`);
              announce(`${key.name} revoked.`);
              await load();
            } catch (error) {
              replace(tableSlot, errorBox(error));
            }
          },
        }, 'Revoke'))))))));
  }

  const slot = h('div');
  const form = h('form', { class: 'card' },
    h('h2', {}, 'New key'),
    field('Name', h('input', { type: 'text', name: 'name', required: true, maxlength: 100 }), 'Who or what will use it, e.g. “CI docs sync”.'),
    h('fieldset', {},
      h('legend', {}, 'Access'),
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'access', value: 'read', checked: true }), ' Read only: search and read documents'),
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'access', value: 'write' }), ' Read and write documents')),
    field('Folder', h('input', { type: 'text', name: 'pathPrefix', placeholder: 'docs/', maxlength: 1024 }), 'Optional: confine the key to documents under this path.'),
    field('Expires on', h('input', { type: 'date', name: 'expiresAt' }), 'Optional.'),
    slot,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create key')));
  onSubmit(form, slot, async (data) => {
    const body = { name: data.get('name'), access: data.get('access') };
    if (data.get('pathPrefix')) body.pathPrefix = data.get('pathPrefix');
    if (data.get('expiresAt')) body.expiresAt = new Date(`${data.get('expiresAt')}T23:59:59Z`).toISOString().replace(/\.\d+Z$/, 'Z');
    const { data: created } = await api('POST', base, { body });
    form.reset();
    replace(shown, secretPanel({
      title: `Key “${created.name}”`,
      explanation: 'Copy it now: this is the only time it is shown. Send it as “Authorization: Bearer …” or “X-API-Key: …”.',
      secret: created.key,
    }));
    announce('Key created.');
    await load();
  });

  const rotateSlot = h('div');
  const rotate = h('section', { class: 'card' },
    h('h2', {}, 'Full-access key'),
    h('p', {}, 'Begins ', h('code', {}, `${project.apiKeyPrefix}…`), '. Rotating it ends the old one at once.'),
    rotateSlot,
    h('button', {
      type: 'button', class: 'secondary',
      onclick: async () => {
        const confirmed = await confirmDialog({
          title: 'Rotate the full-access key?', message: 'Agents and scripts using the current key are refused from now on.', confirmLabel: 'Rotate key',
        });
        if (!confirmed) return;
        try {
          const { data } = await api('POST', `/projects/${project.id}/api-key`);
          replace(rotateSlot, secretPanel({ title: 'New full-access key', explanation: 'Shown once: copy it now.', secret: data.apiKey }));
        } catch (error) {
          replace(rotateSlot, errorBox(error));
        }
      },
    }, 'Rotate full-access key…'));

  append(page, shown, tableSlot, table, form, rotate);
  await load();
}

