// The SpareSync admin page: plain browser JavaScript modules served by the agent (no CDN, no build
// step). Status arrives over server-sent events (/web/api/events): no polling loop.
import { $, state, el, fill, api } from './dom.js';
import { bindActions } from './actions.js';
import { loadSettings, bindSettings } from './settings.js';
import { loadAudit, render } from './status.js';
import { showChart } from './chart.js';

window.addEventListener('sparesync:session-ended', () => showLogin('Your session ended: log in again.'));

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
    if (b.dataset.tab === 'monitoring') {
      loadAudit();
      showChart().catch(() => undefined);
    }
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

bindActions();
bindSettings();
start().catch((e) => {
  document.body.append(el('p', { class: 'error' }, `The page could not start: ${e.message}`));
});
