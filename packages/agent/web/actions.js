// The Management tab: every action asks for confirmation naming what will happen, then calls the
// agent's Control service through /web/api/control (a switch goes to the secondary's agent).
import { $, state, fill, api } from './dom.js';
import { loadAudit, switchLog } from './status.js';

function confirmAction(title, text) {
  const d = $('confirm');
  fill('confirm-title', title);
  fill('confirm-text', text);
  return new Promise((resolve) => {
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.showModal();
  });
}

export async function act(method, request, server) {
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
    if (!sw || ['completed', 'cancelled', 'abandoned'].includes(sw.phase)) {
      return ['Nothing to undo', 'There is no switch under way or stopped to undo.', null];
    }
    const to = sw.kind === 'SwitchingToPrimary' ? 'secondary' : 'primary';
    return [
      `Undo: switch back to the ${to}?`,
      `The switch ${sw.kind === 'SwitchingToPrimary' ? 'to the primary' : 'to the secondary'} stopped at "${sw.currentStep || sw.phase}". Undo runs the switch the other way, back to the ${to}; the secondary's state machine decides what undoing takes.`,
      // The same request the CLI's `switch --to undo` sends: the machine picks the target.
      () => act('requestSwitch', { to: 'undo' }, switchServer()),
    ];
  },
};

export function bindActions() {
  for (const b of document.querySelectorAll('[data-action]')) {
    b.addEventListener('click', async () => {
      const [title, text, run] = actions[b.dataset.action]();
      if ((await confirmAction(title, text)) && run) await run();
    });
  }
}
