// Modal dialogs on the native <dialog> element (focus is trapped and Escape closes it).

import { h, field } from './dom.js';

/**
 * Asks to confirm something that cannot be undone. With `typeToConfirm`, the button is enabled
 * only once that exact text is typed. Resolves true or false.
 */
export function confirmDialog({ title, message, confirmLabel, typeToConfirm }) {
  return new Promise((resolve) => {
    const confirm = h('button', { type: 'submit', class: 'danger', value: 'confirm', disabled: Boolean(typeToConfirm) }, confirmLabel);
    const typed = typeToConfirm
      ? h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', oninput: (event) => { confirm.disabled = event.target.value !== typeToConfirm; } })
      : null;
    const dialog = h('dialog', { 'aria-labelledby': 'dialog-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'dialog-title' }, title),
        h('p', {}, message),
        typed && field(`Type “${typeToConfirm}” to confirm`, typed),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', value: 'cancel', class: 'secondary' }, 'Cancel'),
          confirm)));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    (typed ?? dialog.querySelector('button[value=cancel]')).focus();
  });
}

/** A secret shown once (an API key, a webhook secret), with a copy button. */
export function secretPanel({ title, explanation, secret, extra }) {
  const output = h('input', { type: 'text', readonly: true, value: secret, class: 'secret', 'aria-label': title, spellcheck: 'false' });
  const status = h('span', { role: 'status', class: 'muted' });
  const copy = h('button', {
    type: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(secret);
        status.textContent = 'Copied.';
      } catch {
        output.select();
        status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
      }
    },
  }, 'Copy');
  return h('section', { class: 'secret-panel', 'aria-label': title },
    h('h3', {}, title),
    h('p', {}, explanation),
    h('div', { class: 'secret-row' }, output, copy, status),
    extra);
}
