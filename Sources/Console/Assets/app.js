// The console's shell: who is signed in, the navigation, and a router over the address's hash
// (#/projects/…), so every page has an address to bookmark and the server serves one page.

import { api } from './api.js';
import { errorBox, h, replace } from './dom.js';
import { renderAuth } from './page-auth.js';
import { renderProjects } from './page-projects.js';
import { renderProject } from './page-project.js';
import { renderKeys } from './page-keys.js';
import { renderDocuments } from './page-documents.js';
import { renderSources } from './page-sources.js';
import { renderSearch } from './page-search.js';
import { renderStatus } from './page-status.js';

const main = document.getElementById('main');
const nav = document.getElementById('site-nav');

export const session = {
  user: null,
  registration: document.querySelector('meta[name="lore-registration"]')?.content === 'open',
};

const routes = [
  { pattern: /^\/login$/, page: renderAuth, mode: 'login', public: true },
  { pattern: /^\/register$/, page: renderAuth, mode: 'register', public: true },
  { pattern: /^\/status$/, page: renderStatus, public: true },
  { pattern: /^\/projects$/, page: renderProjects },
  { pattern: /^\/projects\/([^/]+)$/, page: renderProject },
  { pattern: /^\/projects\/([^/]+)\/documents$/, page: renderDocuments },
  { pattern: /^\/projects\/([^/]+)\/search$/, page: renderSearch },
  { pattern: /^\/projects\/([^/]+)\/keys$/, page: renderKeys },
  { pattern: /^\/projects\/([^/]+)\/sources$/, page: renderSources },
];

/** The current address: its path and query, e.g. {path: '/projects/x/search', query: URLSearchParams}. */
export function currentLocation() {
  const raw = location.hash.replace(/^#/, '') || '/projects';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

/** Goes to `path` with `query` (an object or URLSearchParams), rendering it even if it is current. */
export function navigate(path, query) {
  const params = new URLSearchParams(query ?? {});
  const search = [...params].length ? `?${params}` : '';
  const target = `#${path}${search}`;
  if (location.hash === target) route(); else location.hash = target;
}

/** Changes the address without rendering again (e.g. after a search, so it can be bookmarked). */
export function remember(path, query) {
  const params = new URLSearchParams(query ?? {});
  const search = [...params].length ? `?${params}` : '';
  history.replaceState(null, '', `#${path}${search}`);
}

function renderNav() {
  if (!session.user) {
    replace(nav, h('ul', {}, h('li', {}, h('a', { href: '#/login' }, 'Sign in')), h('li', {}, h('a', { href: '#/status' }, 'Status'))));
    return;
  }
  replace(nav, h('ul', {},
    h('li', {}, h('a', { href: '#/projects' }, 'Projects')),
    h('li', {}, h('a', { href: '#/status' }, 'Status')),
    h('li', { class: 'user' }, h('span', { class: 'muted' }, session.user.name || session.user.email)),
    h('li', {}, h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'))));
  markCurrentNav();
}

function markCurrentNav() {
  const { path } = currentLocation();
  for (const link of nav.querySelectorAll('a')) {
    const target = link.getAttribute('href').slice(1);
    if (path === target || (target === '/projects' && path.startsWith('/projects'))) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function signOut() {
  try { await api('POST', '/auth/logout'); } catch { /* the session ends here either way */ }
  session.user = null;
  renderNav();
  navigate('/login');
}

export function signedIn(user) {
  session.user = user;
  renderNav();
}

let routing = 0;
let firstRender = true;
async function route() {
  const ticket = ++routing;
  const { path, query } = currentLocation();
  const match = routes.map((entry) => ({ entry, groups: entry.pattern.exec(path) })).find(({ groups }) => groups);
  if (!match) { navigate('/projects'); return; }
  if (!match.entry.public && !session.user) { navigate('/login', { next: `${path}${[...query].length ? `?${query}` : ''}` }); return; }
  if (session.user && match.entry.mode) { navigate('/projects'); return; }
  markCurrentNav();
  const page = h('div', { class: 'page' });
  replace(main, page);
  try {
    await match.entry.page(page, { params: match.groups.slice(1).map(decodeURIComponent), query, mode: match.entry.mode });
  } catch (error) {
    if (ticket !== routing) return;
    replace(page, h('h1', { tabindex: '-1' }, 'Something went wrong'), errorBox(error));
  }
  if (ticket !== routing) return;
  const heading = page.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    document.title = `${heading.textContent} · Lore`;
    // After a move within the console, focus goes to the new page's heading (screen readers
    // announce it); on the first load it stays at the top, so the first Tab reaches the skip link.
    if (!firstRender && (document.activeElement === document.body || !main.contains(document.activeElement))) {
      heading.focus({ preventScroll: true });
    }
  }
  firstRender = false;
}

window.addEventListener('lore:unauthorized', () => {
  if (!session.user) return;
  session.user = null;
  renderNav();
  const { path } = currentLocation();
  navigate('/login', { next: path, expired: '1' });
});
window.addEventListener('hashchange', route);

async function start() {
  // The server says whether this page was requested with a session cookie (which script cannot
  // read): without one there is nobody to ask /auth/me about.
  if (document.querySelector('meta[name="lore-session"]')?.content === 'present') {
    try {
      const { data } = await api('GET', '/auth/me');
      session.user = data;
    } catch {
      session.user = null;
    }
  }
  renderNav();
  await route();
}

start();
