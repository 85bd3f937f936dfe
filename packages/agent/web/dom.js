// What every part of the page shares: its state, DOM helpers that only ever set text (nothing
// from the server is parsed as HTML), formatting, and the one way to call the agent.
export const $ = (id) => document.getElementById(id);
export const state = {
  csrf: '',
  me: null,
  server: null,
  here: null,
  peer: null,
  peerError: '',
  events: null,
};

// ---------- small DOM helpers (text only: nothing from the server is parsed as HTML) ----------

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function fill(target, ...children) {
  const node = typeof target === 'string' ? $(target) : target;
  node.replaceChildren(
    ...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false),
  );
  return node;
}

export const time = (ms) => (ms ? new Date(ms).toLocaleString() : '—');
export const ago = (ms) => {
  if (!ms) return '—';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};
export const bytes = (n) =>
  n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
export const other = (role) => (role === 'primary' ? 'secondary' : 'primary');

const GOOD = new Set(['Working']);
const BAD = new Set(['ConfigurationError', 'Unknown', 'Stopped', 'WorkingWithErrors']);
export function stateBadge(name) {
  const cls = GOOD.has(name) ? 'ok' : BAD.has(name) ? 'bad' : name ? 'warn' : 'bad';
  return el('span', { class: `badge ${cls}`, 'data-state': name || 'Unknown' }, name || 'Unknown');
}

export function rows(pairs) {
  return el(
    'dl',
    { class: 'facts' },
    pairs.filter(Boolean).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
  );
}

// ---------- requests ----------

export async function api(path, body, query) {
  const url = `/web/api/${path}${query ? `?${new URLSearchParams(query)}` : ''}`;
  const init =
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': state.csrf },
          body: JSON.stringify(body),
        };
  const res = await fetch(url, { credentials: 'same-origin', ...init });
  let data = {};
  try {
    data = await res.json();
  } catch {
    // an empty or non-JSON answer
  }
  if (res.status === 401 && path !== 'login') {
    window.dispatchEvent(new Event('sparesync:session-ended'));
  }
  if (!res.ok) {
    const err = new Error(data.error || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}
