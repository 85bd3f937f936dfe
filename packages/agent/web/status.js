// The Status and Monitoring tabs: both servers, the link, the database, the folder pairs, banners
// for what needs the operator, the state history, the last shutdown and the audit log.
import { $, state, el, fill, time, ago, bytes, other, stateBadge, rows, api } from './dom.js';
import { act } from './actions.js';
import { chartStatus } from './chart.js';

export function render() {
  const h = state.here;
  if (!h) return;
  renderBanners(h);
  chartStatus(h);
  renderServer('card-local', 'This server', h, h.local, true);
  renderRemote(h);
  renderLink(h.link);
  renderDatabase(h.database);
  renderWitness(h.witness);
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
  const w = h.witness;
  if (w && w.selfFenced)
    add('bad', 'Fenced by the witness: this server stopped its managed system (see Witness below).');
  else if (w && !w.reachable && w.detail)
    add('warn', `The witness cannot be reached: ${w.detail}. No switch until it is back.`);
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
          `${status.folders.length} folder pair${status.folders.length === 1 ? '' : 's'}; ${
            status.database && status.database.phase !== 'disabled'
              ? `database ${status.database.phase}, lag ${status.database.lagMs} ms`
              : 'no database replicated'
          }`,
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

/** The same facts as the witness line of `sparesync status`; no card without settings.witness. */
function renderWitness(w) {
  const card = $('card-witness');
  card.hidden = !w;
  if (!w) return card.replaceChildren();
  card.dataset.reachable = String(w.reachable);
  const problem = [
    !w.reachable && w.detail && `The witness cannot be reached: ${w.detail}. No switch until it is back.`,
    w.selfFenced &&
      'Fenced: cut off from the other server and the witness, this server stopped its managed system.',
  ].filter(Boolean);
  fill(
    card,
    el('h2', {}, 'Witness ', el('span', { class: 'muted' }, 'etcd')),
    rows([
      [
        'Reachable',
        w.reachable
          ? el('span', { class: 'badge ok' }, 'reachable')
          : el('span', { class: 'badge bad' }, w.detail ? 'unreachable' : 'not checked yet'),
      ],
      [
        'Key held by',
        el(
          'span',
          { id: 'witness-holder' },
          w.holderRole ? `the ${w.holderRole} at epoch ${w.holderEpoch}` : 'nobody (the key is free)',
        ),
      ],
      [
        "This server's lease",
        w.mine ? `${(Number(w.leaseLeftMs) / 1000).toFixed(1)} s left` : 'does not hold the key',
      ],
      ['Epoch in etcd', Number(w.epoch) < 0 ? '—' : String(w.epoch)],
      w.reachable && w.detail ? ['Last read', w.detail] : null,
    ]),
    problem.map((t) => el('p', { class: 'error witness-problem' }, t)),
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
export function switchLog() {
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

export async function loadAudit() {
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
