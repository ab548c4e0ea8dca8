// Building the page without HTML strings: every text from the server or a document becomes a text
// node, so nothing it contains is ever parsed as markup.

/** h('a', {href: '#/x', onclick: fn}, 'text', child) → an element; null/false children are skipped. */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (name === 'value' || name === 'checked' || name === 'selected') {
      // The default too, so that form.reset() returns to it.
      const defaultName = `default${name[0].toUpperCase()}${name.slice(1)}`;
      if (defaultName in element) element[defaultName] = value;
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends children (nodes, text, arrays of them); null, undefined and false are skipped. */
export function append(element, ...children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** A labelled form control: label, input (or given control) and an optional hint, linked by ids. */
let fieldCounter = 0;
export function field(label, control, hint) {
  const id = control.id || `field-${++fieldCounter}`;
  control.id = id;
  const parts = [h('label', { for: id }, label), control];
  if (hint) {
    const hintId = `${id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('p', { class: 'hint', id: hintId }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

const numberFormat = new Intl.NumberFormat();
export const count = (n) => numberFormat.format(n ?? 0);
export const plural = (n, one, many) => `${count(n)} ${n === 1 ? one : many}`;

/** "5 minutes ago" for recent times, the date otherwise; the exact time in a tooltip. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, 'never');
  const date = new Date(iso);
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  let text;
  if (seconds >= -60 && seconds < 60) text = 'just now';
  else if (seconds > 0 && seconds < 3600) text = `${Math.round(seconds / 60)} min ago`;
  else if (seconds > 0 && seconds < 86400) text = `${Math.round(seconds / 3600)} h ago`;
  else text = date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return h('time', { datetime: iso, title: date.toLocaleString() }, text);
}

/** Says `message` to screen readers (and shows nothing). */
export function announce(message) {
  const announcer = document.getElementById('announcer');
  announcer.textContent = '';
  setTimeout(() => { announcer.textContent = message; }, 50);
}

/** Polls `step` every `ms` while `element` is in the page and `step` returns true. */
export function pollWhile(element, ms, step) {
  const tick = async () => {
    if (!element.isConnected) return;
    let again = false;
    try { again = await step(); } catch { again = true; }
    if (again && element.isConnected) setTimeout(tick, ms);
  };
  setTimeout(tick, ms);
}

/**
 * An error as the person should see it: the server's message, the fields it names, and what to
 * do (ApiError's `advice`). Announced to screen readers.
 */
export function errorBox(error) {
  const details = (error.details ?? []).filter((detail) => detail.message);
  return h('div', { class: 'error', role: 'alert' },
    h('p', {}, h('strong', {}, error.message || String(error))),
    details.length > 0 && h('ul', {}, details.map((detail) => h('li', {}, detail.field ? `${detail.field}: ${detail.message}` : detail.message))),
    error.advice && h('p', { class: 'advice' }, error.advice));
}

/**
 * Runs `action` for a form's submit: the button is disabled meanwhile, and an error is shown in
 * `slot` (cleared on the next attempt).
 */
export function onSubmit(form, slot, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button[type=submit]')];
    buttons.forEach((button) => { button.disabled = true; });
    slot.replaceChildren();
    try {
      await action(new FormData(form));
    } catch (error) {
      slot.replaceChildren(errorBox(error));
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  });
  return form;
}
