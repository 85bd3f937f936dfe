// The SpareSync admin page. Plain browser JavaScript served by the agent (no CDN, no build step).
// Status arrives over server-sent events (/web/api/events): no polling loop. Every action posts
// to /web/api/control/METHOD, the agent's Control service, with the CSRF token.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { csrf: '', me: null, server: null, here: null, peer: null, peerError: '', events: null };

// ---------- small DOM helpers (text only: nothing from the server is parsed as HTML) ----------

function el(tag, attrs, ...children) {
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

function fill(target, ...children) {
  const node = typeof target === 'string' ? $(target) : target;
  node.replaceChildren(
    ...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false),
  );
  return node;
}

const time = (ms) => (ms ? new Date(ms).toLocaleString() : '—');
const ago = (ms) => {
  if (!ms) return '—';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};
const bytes = (n) =>
  n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
const other = (role) => (role === 'primary' ? 'secondary' : 'primary');

const GOOD = new Set(['Working']);
const BAD = new Set(['ConfigurationError', 'Unknown', 'Stopped', 'WorkingWithErrors']);
function stateBadge(name) {
  const cls = GOOD.has(name) ? 'ok' : BAD.has(name) ? 'bad' : name ? 'warn' : 'bad';
  return el('span', { class: `badge ${cls}`, 'data-state': name || 'Unknown' }, name || 'Unknown');
}

function rows(pairs) {
  return el(
    'dl',
    { class: 'facts' },
    pairs.filter(Boolean).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
  );
}

// ---------- requests ----------

async function api(path, body, query) {
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
    showLogin('Your session ended: log in again.');
  }
  if (!res.ok) {
    const err = new Error(data.error || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

// ---------- views ----------

function show(view) {
  for (const v of ['setup', 'login', 'app']) $(`view-${v}`).hidden = v !== view;
}

async function start() {
  const s = await api('session');
  state.csrf = s.csrfToken;
  state.server = s.server;
  $('plain-http').hidden = !s.plainHttp;
  fill('server-name', el('strong', {}, s.server.name), ` · ${s.server.role}`);
  document.title = `SpareSync · ${s.server.name} (${s.server.role})`;
  if (s.setupNeeded) {
    fill('setup-command', s.setupCommand);
    show('setup');
    return;
  }
  if (!s.user) return showLogin();
  loggedIn(s.user);
}

function showLogin(message) {
  stopEvents();
  state.me = null;
  $('who').hidden = true;
  const err = $('login-error');
  err.hidden = !message;
  err.textContent = message || '';
  show('login');
  $('login-user').focus();
}

function loggedIn(me) {
  state.me = me;
  fill('who-name', `${me.name} · ${me.role}`);
  $('who').hidden = false;
  document.body.classList.toggle('read-only', me.role !== 'operator');
  $('readonly-note').hidden = me.role === 'operator';
  for (const b of document.querySelectorAll('.op')) {
    b.disabled = me.role !== 'operator';
    if (b.disabled) b.title = 'needs the operator role';
  }
  show('app');
  startEvents();
  loadAudit();
  if (me.role === 'operator') loadSettings();
  else fill('settings-json', 'Reading the settings needs the operator role.');
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const button = $('login-submit');
  button.disabled = true;
  try {
    const r = await api('login', { user: $('login-user').value, password: $('login-password').value });
    $('login-password').value = '';
    $('login-error').hidden = true;
    loggedIn(r.user);
  } catch (e) {
    $('login-error').hidden = false;
    $('login-error').textContent = e.message;
  } finally {
    button.disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  try {
    await api('logout', {});
  } finally {
    showLogin('You have logged out.');
  }
});

// ---------- tabs ----------

for (const b of document.querySelectorAll('.tabs [data-tab]')) {
  b.addEventListener('click', () => {
    for (const x of document.querySelectorAll('.tabs [data-tab]')) x.classList.toggle('active', x === b);
    for (const t of document.querySelectorAll('.tab')) t.hidden = t.id !== `tab-${b.dataset.tab}`;
    if (b.dataset.tab === 'monitoring') loadAudit();
  });
}

// ---------- live status ----------

function startEvents() {
  stopEvents();
  const es = new EventSource('/web/api/events');
  state.events = es;
  es.addEventListener('status', (e) => {
    state.here = JSON.parse(e.data).status;
    render();
  });
  es.addEventListener('peer', (e) => {
    const v = JSON.parse(e.data);
    state.peer = v.status;
    state.peerError = v.error;
    render();
  });
  es.addEventListener('logout', () => showLogin('Your session ended: log in again.'));
  es.onopen = () => $('live').classList.add('on');
  es.onerror = () => $('live').classList.remove('on');
}

function stopEvents() {
  if (state.events) state.events.close();
  state.events = null;
}

function render() {
  const h = state.here;
  if (!h) return;
  renderBanners(h);
  renderServer('card-local', 'This server', h, h.local, true);
  renderRemote(h);
  renderLink(h.link);
  renderDatabase(h.database);
  const peerFolders = state.peer && h.remote.reachable ? state.peer.folders || [] : [];
  renderFolders([
    ...(h.folders || []).map((f) => ({ ...f, server: h.local.name })),
    ...peerFolders.map((f) => ({ ...f, server: state.peer.local.name })),
  ]);
  renderHistory(h.history || []);
  renderShutdown(h.local.lastShutdown);
  renderSwitch();
}

function renderBanners(h) {
  const out = [];
  const add = (cls, text) => out.push(el('div', { class: `banner ${cls}` }, text));
  const st = h.local.state;
  if (st === 'ConfigurationError') add('bad', `Configuration error on this server: ${h.local.reason}`);
  if (st === 'TurnedOff') add('warn', `SpareSync is turned off on this server: ${h.local.reason}`);
  if (!h.remote.reachable)
    add('bad', `The other server is not reachable${h.link.lastError ? `: ${h.link.lastError}` : ''}.`);
  const sw = switchLog();
  if (sw && sw.phase === 'halted')
    add('bad', `A switch halted: ${sw.error}. Retry it or undo it on the Management tab.`);
  if (h.local.lastShutdown && !h.local.lastShutdown.clean && !h.local.lastShutdown.checked) {
    add(
      'warn',
      'This agent ended without a clean stop. Review it on the Monitoring tab and mark it checked.',
    );
  }
  fill('banners', out);
}

function serverFacts(local) {
  return [
    ['Role', local.role],
    ['State', stateBadge(local.state)],
    ['Reason', local.reason || '—'],
    ['Epoch', String(local.epoch)],
    ['Version', local.version],
    ['Running since', time(local.startedAtMs)],
  ];
}

function renderServer(id, title, status, local, here) {
  fill(
    id,
    el('h2', {}, title, ' ', el('span', { class: 'muted' }, local.name)),
    rows(serverFacts(local)),
    here && local.decision ? el('p', { class: 'muted small' }, `Last decision: ${local.decision}`) : null,
    status && status.folders && !here
      ? el(
          'p',
          { class: 'muted small' },
          `${status.folders.length} folder pair(s); database ${status.database ? status.database.phase : 'not replicated'}`,
        )
      : null,
  );
}

function renderRemote(h) {
  const card = $('card-remote');
  card.dataset.reachable = String(h.remote.reachable);
  if (state.peer && h.remote.reachable) {
    renderServer('card-remote', 'Other server', state.peer, state.peer.local, false);
    return;
  }
  fill(
    card,
    el('h2', {}, 'Other server ', el('span', { class: 'muted' }, h.remote.name || h.remote.address)),
    rows([
      ['Role', h.remote.role || other(h.local.role)],
      ['State', stateBadge(h.remote.state)],
      ['Reachable', h.remote.reachable ? 'yes' : el('strong', { class: 'bad-text' }, 'no')],
      ['Reason', h.remote.reason || state.peerError || '—'],
      ['Address', h.remote.address],
      ['Last heard', ago(h.remote.lastSeenMs)],
    ]),
  );
}

function renderLink(l) {
  fill(
    'card-link',
    el('h2', {}, 'Link between the servers'),
    rows([
      [
        'Connected',
        l.connected
          ? el('span', { class: 'badge ok' }, 'connected')
          : el('span', { class: 'badge bad' }, 'down'),
      ],
      ['Round trip', l.connected ? `${l.rttMs.toFixed(1)} ms` : '—'],
      ['Clock offset', l.connected ? `${l.clockOffsetMs.toFixed(0)} ms` : '—'],
      ['Connected since', time(l.connectedSinceMs)],
      ['Reconnect attempts', String(l.reconnectAttempts)],
      l.lastError ? ['Last error', l.lastError] : null,
    ]),
  );
}

function renderDatabase(db) {
  if (!db || db.engine === 'none' || db.phase === 'disabled')
    return fill(
      'card-db',
      el('h2', {}, 'Database'),
      el('p', { class: 'muted' }, 'No database is replicated.'),
    );
  fill(
    'card-db',
    el('h2', {}, 'Database ', el('span', { class: 'muted' }, db.engine)),
    rows([
      ['Phase', db.phase],
      ['Rows pending', String(db.rowsPending)],
      ['Lag', `${db.lagMs} ms`],
      ['Rows replicated', String(db.rowsReplicated)],
      ['Tables', db.tables.join(', ') || '—'],
      db.lastError ? ['Last error', `${db.lastError} (${time(db.lastErrorAtMs)})`] : null,
      db.reinit && db.reinit.active
        ? [
            'Reinitialising',
            `${db.reinit.kind}: ${db.reinit.tablesDone}/${db.reinit.tables.length} tables, ${db.reinit.rowsDone}/${db.reinit.rowsTotal} rows`,
          ]
        : null,
      db.reinitRequested || db.backupReinitRequested || db.fixRequested
        ? [
            'Requested',
            [
              db.reinitRequested && 'reinitialisation',
              db.backupReinitRequested && 'reinitialisation through a backup',
              db.fixRequested && 'fix of the sync state',
            ]
              .filter(Boolean)
              .join(', '),
          ]
        : null,
    ]),
  );
}

function renderFolders(folders) {
  if (!folders.length)
    return fill(
      'card-folders',
      el('h2', {}, 'Folder pairs'),
      el('p', { class: 'muted' }, 'No folder pairs.'),
    );
  fill(
    'card-folders',
    el('h2', {}, 'Folder pairs'),
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        {},
        el(
          'tr',
          {},
          ['Name', 'Server', 'Direction', 'Pending', 'Last change', 'Transferred', 'Errors'].map((t) =>
            el('th', {}, t),
          ),
        ),
        folders.map((f) =>
          el(
            'tr',
            {},
            el('td', {}, el('strong', {}, f.name), el('div', { class: 'muted small' }, f.path)),
            el('td', {}, f.server),
            el('td', {}, f.direction),
            el('td', {}, `${f.filesPending} files, ${bytes(f.bytesPending)}`),
            el('td', {}, ago(f.lastChangeMs)),
            el('td', {}, String(f.filesTransferred)),
            el(
              'td',
              { class: f.errorCount ? 'bad-text' : '' },
              f.errorCount ? `${f.errorCount}: ${f.errors[0] || f.problem}` : f.problem || 'none',
            ),
          ),
        ),
      ),
    ),
  );
}

function renderHistory(history) {
  fill(
    'history',
    el(
      'tr',
      {},
      ['When', 'From', 'To', 'Epoch', 'Why'].map((t) => el('th', {}, t)),
    ),
    [...history]
      .reverse()
      .map((t) =>
        el(
          'tr',
          {},
          el('td', { class: 'nowrap' }, time(t.atMs)),
          el('td', {}, t.from),
          el('td', {}, stateBadge(t.to)),
          el('td', {}, String(t.epoch)),
          el('td', {}, t.reason),
        ),
      ),
  );
}

function renderShutdown(sd) {
  const op = state.me && state.me.role === 'operator';
  fill(
    'card-shutdown',
    el('h2', {}, 'Last shutdown of this agent'),
    !sd
      ? el('p', { class: 'muted' }, 'This agent has not stopped since it was installed.')
      : [
          rows([
            ['When', time(sd.atMs)],
            [
              'How',
              sd.clean ? 'a clean stop' : el('strong', { class: 'bad-text' }, 'ended without a clean stop'),
            ],
            ['Why', sd.reason],
            ['Checked', sd.checked ? `yes, ${time(sd.checkedAtMs)}` : 'not yet'],
          ]),
          el(
            'button',
            {
              type: 'button',
              class: 'op',
              id: 'mark-checked',
              disabled: !op || sd.checked,
              onclick: () => act('markShutdownChecked', {}, 'here'),
            },
            'Mark checked',
          ),
        ],
  );
}

/** The switch log of the server that runs switches (the secondary). */
function switchLog() {
  if (!state.here) return undefined;
  if (state.here.local.role === 'secondary') return state.here.local.lastSwitch;
  return state.peer ? state.peer.local.lastSwitch : undefined;
}

function renderSwitch() {
  const sw = switchLog();
  if (!sw)
    return fill(
      'card-switch',
      el('h2', {}, 'Last switch'),
      el('p', { class: 'muted' }, 'No switch has run since the secondary started.'),
    );
  const steps = sw.steps.map((s) =>
    el(
      'li',
      { class: `step ${s.outcome}` },
      el('span', { class: 'step-name' }, s.step),
      ' ',
      el(
        'span',
        { class: `badge ${s.outcome === 'failed' ? 'bad' : s.outcome === 'done' ? 'ok' : 'warn'}` },
        s.outcome,
      ),
      s.detail && s.detail !== 'done' ? el('div', { class: 'muted small' }, s.detail) : null,
    ),
  );
  if (sw.phase === 'running' && sw.currentStep)
    steps.push(
      el(
        'li',
        { class: 'step running' },
        el('span', { class: 'step-name' }, sw.currentStep),
        ' ',
        el('span', { class: 'badge warn' }, 'running'),
      ),
    );
  fill(
    'card-switch',
    el(
      'h2',
      {},
      `Last switch: ${sw.kind === 'SwitchingToPrimary' ? 'to the primary' : 'to the secondary'} `,
      el(
        'span',
        {
          class: `badge ${sw.phase === 'completed' ? 'ok' : sw.phase === 'halted' ? 'bad' : 'warn'}`,
          id: 'switch-phase',
        },
        sw.phase,
      ),
    ),
    el(
      'p',
      { class: 'muted small' },
      `Requested by ${sw.requestedBy || '—'} at ${time(sw.startedAtMs)}${sw.why ? `: ${sw.why}` : ''}`,
    ),
    el('ol', { class: 'steps', id: 'switch-steps' }, steps),
    sw.error ? el('p', { class: 'error' }, sw.error) : null,
  );
}

// ---------- actions ----------

function confirmAction(title, text) {
  const d = $('confirm');
  fill('confirm-title', title);
  fill('confirm-text', text);
  return new Promise((resolve) => {
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.showModal();
  });
}

async function act(method, request, server) {
  const out = $('action-result');
  try {
    const r = await api(`control/${method}`, request, server === 'peer' ? { server: 'peer' } : undefined);
    out.className = `result ${r.accepted === false ? 'bad' : 'ok'}`;
    out.textContent = r.message || 'done';
  } catch (e) {
    out.className = 'result bad';
    out.textContent = e.message;
  }
  out.hidden = false;
  loadAudit();
}

function switchServer() {
  return state.server.role === 'secondary' ? 'here' : 'peer';
}

const actions = {
  dbInstallScripts: () => [
    'Install database scripts?',
    "Change capture is installed or refreshed on this server's database. Tables whose structure changed are copied again one by one while the others keep replicating.",
    () => act('dbInstallScripts', {}),
  ],
  dbReinit: () => [
    'Reinitialise the database?',
    'Every tracked table is copied from the sending server to the receiving one, then replication continues.',
    () => act('dbReinitialize', { fromBackup: false }),
  ],
  dbBackupReinit: () => [
    'Reinitialise through a backup?',
    'The sending database is backed up, the file moves over the link and is restored on the receiving server, replacing its data.',
    () => act('dbReinitialize', { fromBackup: true }),
  ],
  dbFixSyncState: () => [
    'Mark the databases as in sync?',
    'Nothing is copied: the databases are declared identical. Do this only when you know both hold the same data; otherwise rows may be lost or stay different.',
    () => act('dbFixSyncState', {}),
  ],
  turnOff: () => {
    const only = $('only-here').checked;
    return [
      'Turn SpareSync off?',
      `Replication and automatic switching stop ${only ? 'on this server only' : 'on both servers'} until it is turned on again (this survives restarts). The managed system keeps running where it is.`,
      () => act('turnOff', { thisServerOnly: only }),
    ];
  },
  turnOn: () => {
    const only = $('only-here').checked;
    return [
      'Turn SpareSync on?',
      `Replication and switching resume ${only ? 'on this server' : 'on both servers'}.`,
      () => act('turnOn', { thisServerOnly: only }),
    ];
  },
  restart: () => [
    'Restart this agent?',
    `The agent on ${state.server.name} stops and exits with code 75; its service manager starts it again (without one it stays stopped). This page reconnects when it is back.`,
    () => act('restart', {}),
  ],
  'switch-secondary': () => [
    'Switch to the secondary?',
    'The primary stops serving, its last changes reach the secondary, the DNS record moves to the secondary and the managed system starts there. The steps show below as they run.',
    () => act('requestSwitch', { to: 'secondary' }, switchServer()),
  ],
  'switch-primary': () => [
    'Switch back to the primary?',
    'The secondary sends the changes made while it served back to the primary, stops its managed system, the DNS record moves to the primary and the managed system starts there.',
    () => act('requestSwitch', { to: 'primary' }, switchServer()),
  ],
  'switch-undo': () => {
    const sw = switchLog();
    if (!sw || sw.phase === 'completed' || sw.phase === 'abandoned') {
      return ['Nothing to undo', 'There is no switch under way or stopped to undo.', null];
    }
    const to = sw.kind === 'SwitchingToPrimary' ? 'secondary' : 'primary';
    return [
      `Undo: switch back to the ${to}?`,
      `The switch ${sw.kind === 'SwitchingToPrimary' ? 'to the primary' : 'to the secondary'} stopped at "${sw.currentStep || sw.phase}". Undo runs the switch the other way, back to the ${to}.`,
      () => act('requestSwitch', { to }, switchServer()),
    ];
  },
};

for (const b of document.querySelectorAll('[data-action]')) {
  b.addEventListener('click', async () => {
    const [title, text, run] = actions[b.dataset.action]();
    if ((await confirmAction(title, text)) && run) await run();
  });
}

// ---------- audit and settings ----------

async function loadAudit() {
  try {
    const { entries } = await api('audit');
    fill(
      'audit',
      el(
        'tr',
        {},
        ['When', 'User', 'From', 'Action', 'Result', 'Detail'].map((t) => el('th', {}, t)),
      ),
      entries.map((e) =>
        el(
          'tr',
          {},
          el('td', { class: 'nowrap' }, time(e.atMs)),
          el('td', {}, e.user || '—'),
          el('td', {}, e.address),
          el('td', {}, e.action),
          el('td', {}, el('span', { class: `badge ${e.result === 'ok' ? 'ok' : 'bad'}` }, e.result)),
          el('td', {}, e.detail),
        ),
      ),
    );
  } catch {
    // not logged in any more: the login view is shown
  }
}

async function loadSettings() {
  try {
    const r = await api('control/getSettings', { path: '' });
    fill('settings-file', r.file);
    fill('settings-json', JSON.stringify(JSON.parse(r.valueJson), null, 2));
  } catch (e) {
    fill('settings-json', e.message);
  }
}

$('settings-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = $('settings-error');
  const out = $('settings-result');
  err.hidden = true;
  out.hidden = true;
  const raw = $('setting-value').value.trim();
  let valueJson = raw;
  try {
    JSON.parse(raw);
  } catch {
    valueJson = JSON.stringify(raw); // plain text, as `sparesync settings set` takes it
  }
  try {
    const r = await api('control/setSettings', {
      changes: [{ path: $('setting-path').value.trim(), valueJson, remove: false }],
      thisServerOnly: $('setting-here').checked,
      dryRun: $('setting-dry').checked,
    });
    out.hidden = false;
    out.textContent = [
      r.message,
      ...r.settings.map(
        (s) =>
          `${s.path}: ${s.oldJson} → ${s.newJson}${s.restartRequired ? ' (takes effect after a restart)' : ''}`,
      ),
      r.peer ? `other server: ${r.peer}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    loadSettings();
    loadAudit();
  } catch (e) {
    err.hidden = false;
    err.textContent = e.message;
  }
});

start().catch((e) => {
  document.body.append(el('p', { class: 'error' }, `The page could not start: ${e.message}`));
});
