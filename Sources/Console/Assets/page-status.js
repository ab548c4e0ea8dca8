// The server's state: readiness (database, embedder, vector index), the embedding model, and how
// many chunks of the signed-in person's projects wait for an embedding.

import { listAll } from './api.js';
import { h, append, plural, replace, pollWhile, errorBox } from './dom.js';
import { session } from './app.js';
import { coverageBar } from './page-projects.js';

const words = { ok: 'working', unavailable: 'unavailable', disabled: 'off (full text only)', ready: 'ready' };

async function readiness() {
  const response = await fetch('/health/ready', { headers: { Accept: 'application/json' } });
  const payload = await response.json();
  return payload.data;
}

export async function renderStatus(page) {
  const body = h('div', { 'aria-live': 'polite' });
  append(page, h('h1', {}, 'Status'), body);

  async function draw() {
    let ready;
    try {
      ready = await readiness();
    } catch (error) {
      replace(body, errorBox(Object.assign(error, { advice: 'Lore could not be reached: check that it is running.' })));
      return true;
    }
    const parts = [
      h('dl', { class: 'stats' },
        h('div', {}, h('dt', {}, 'Lore'), h('dd', { class: `status ${ready.status}` }, words[ready.status] ?? ready.status)),
        h('div', {}, h('dt', {}, 'Database'), h('dd', {}, words[ready.database] ?? ready.database)),
        h('div', {}, h('dt', {}, 'Embedder'), h('dd', {}, words[ready.embedder] ?? ready.embedder)),
        h('div', {}, h('dt', {}, 'Vector index'), h('dd', {}, words[ready.vectorIndex] ?? ready.vectorIndex))),
    ];
    if (session.user) {
      const { items } = await listAll('/projects');
      const waiting = items.reduce((sum, project) => sum + Math.max(0, project.stats.chunks - project.stats.embeddedChunks), 0);
      const models = [...new Set(items.map((project) => project.stats.embeddingModel).filter(Boolean))];
      parts.push(
        h('h2', {}, 'Embeddings'),
        h('p', {}, 'Model: ', models.length ? h('code', {}, models.join(', ')) : 'none configured (full-text search only)'),
        h('p', {}, `Queue: ${plural(waiting, 'chunk waits', 'chunks wait')} for an embedding in your projects.`),
        items.length > 0 && h('ul', { class: 'coverage-list' }, items.map((project) => h('li', {},
          h('a', { href: `#/projects/${project.id}` }, project.name), coverageBar(project.stats)))));
    } else {
      parts.push(h('p', {}, h('a', { href: '#/login' }, 'Sign in'), ' to see the embedding queue of your projects.'));
    }
    replace(body, parts);
    return true;
  }
  await draw();
  pollWhile(body, 3000, draw);
}
