// Sign in and register (when the server allows registration: LORE_REGISTRATION).

import { api } from './api.js';
import { h, append, field, onSubmit } from './dom.js';
import { navigate, session, signedIn } from './app.js';

export async function renderAuth(page, { mode, query }) {
  const registering = mode === 'register';
  if (registering && !session.registration) {
    append(page, 
      h('h1', {}, 'Registration is closed'),
      h('p', {}, 'This server does not accept new accounts. Ask its administrator for one, then sign in.'),
      h('p', {}, h('a', { href: '#/login' }, 'Sign in')));
    return;
  }
  const slot = h('div');
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'email' });
  const password = h('input', {
    type: 'password', name: 'password', required: true, minlength: 8, maxlength: 72,
    autocomplete: registering ? 'new-password' : 'current-password',
  });
  const form = h('form', { class: 'card narrow', novalidate: false },
    registering && field('Name', h('input', { type: 'text', name: 'name', required: true, autocomplete: 'name', maxlength: 200 })),
    field('Email', email),
    field('Password', password, registering ? '8 to 72 characters.' : null),
    slot,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, registering ? 'Create account' : 'Sign in')));

  onSubmit(form, slot, async (data) => {
    const body = { email: data.get('email'), password: data.get('password') };
    if (registering) body.name = data.get('name');
    const { data: user } = await api('POST', registering ? '/auth/register' : '/auth/login', { body });
    signedIn(user);
    const next = query.get('next');
    if (next && next.startsWith('/') && !next.startsWith('//')) {
      const [path, search] = next.split('?');
      navigate(path, new URLSearchParams(search ?? ''));
    } else navigate('/projects');
  });

  append(page, 
    h('h1', {}, registering ? 'Create your account' : 'Sign in to Lore'),
    query.get('expired') && h('p', { class: 'notice', role: 'status' }, 'Your session has ended: sign in again to continue.'),
    form,
    registering
      ? h('p', {}, 'Have an account? ', h('a', { href: '#/login' }, 'Sign in'))
      : session.registration && h('p', {}, 'New here? ', h('a', { href: '#/register' }, 'Create an account')));
}
