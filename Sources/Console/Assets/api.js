// The console's only way to the server: /api/v1 with the session cookie (HttpOnly, so script never
// sees it). Every failure becomes an ApiError carrying the server's message and what to do next.

export class ApiError extends Error {
  constructor(status, payload, retryAfter) {
    const error = payload?.error;
    super(error?.message ?? (status ? `The server answered ${status}.` : 'The server could not be reached.'));
    this.status = status;
    this.code = error?.code ?? (status ? 'http_error' : 'network_error');
    this.details = error?.details ?? [];
    this.requestId = payload?.meta?.requestId;
    this.retryAfter = retryAfter;
  }

  /** What the person can do about it, in plain words. */
  get advice() {
    switch (this.status) {
      case 0: return 'Check that Lore is running and reachable, then try again.';
      case 401: return 'Sign in again.';
      case 403: return 'This needs other rights: ask the project’s owner.';
      case 404: return 'It may have been deleted or moved; go back to the list.';
      case 409: return this.code === 'source_owned'
        ? 'This document comes from a Git source: change it in the repository and sync.'
        : 'Reload to see the current state, then try again.';
      case 413: return 'Make it smaller: a document holds at most 1 MiB, a request 8 MiB.';
      case 422: return 'Correct the fields named above and try again.';
      case 429: return `Too many requests: wait ${this.retryAfter ?? 'a few'} seconds and try again.`;
      default: return this.status >= 500
        ? `Try again in a moment; if it keeps failing, the server log has request ${this.requestId ?? 'id unknown'}.`
        : 'Try again.';
    }
  }
}

/**
 * api('GET', '/projects', {query: {limit: 100}}) → {data, meta, headers}.
 * `body` is sent as JSON; `headers` are added.
 */
export async function api(method, path, { body, query, headers } = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(0, null);
  }
  if (response.status === 204) return { data: null, meta: {}, headers: response.headers };
  let payload = null;
  try { payload = await response.json(); } catch { /* not JSON: reported below */ }
  if (!response.ok) {
    const error = new ApiError(response.status, payload, response.headers.get('Retry-After'));
    if (response.status === 401) window.dispatchEvent(new CustomEvent('lore:unauthorized', { detail: error }));
    throw error;
  }
  return { data: payload?.data, meta: payload?.meta ?? {}, headers: response.headers };
}

/** Every page of a list (100 at a time), up to `maximum` items. */
export async function listAll(path, query = {}, maximum = 2000) {
  const items = [];
  let total = 0;
  do {
    const { data, meta } = await api('GET', path, { query: { ...query, offset: items.length, limit: 100 } });
    items.push(...data);
    total = meta.total ?? items.length;
    if (data.length === 0) break;
  } while (items.length < total && items.length < maximum);
  return { items, total };
}
