// The Configuration tab: the settings in force, a change validated by the agent (nothing is
// written when invalid), and the DNS and notification tests.
import { $, fill, api } from './dom.js';
import { loadAudit } from './status.js';
import { bindSettingsForm, renderSettingsForm } from './settings-form.js';

export async function loadSettings() {
  try {
    const r = await api('control/getSettings', { path: '' });
    fill('settings-file', r.file);
    const values = JSON.parse(r.valueJson);
    fill('settings-json', JSON.stringify(values, null, 2));
    await renderSettingsForm(values);
  } catch (e) {
    fill('settings-json', e.message);
  }
}

export function bindSettings() {
  bindSettingsForm(async () => {
    await loadSettings();
    loadAudit();
  });
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

  async function runTest(method, lines) {
    const out = $('test-result');
    out.hidden = false;
    out.className = 'result';
    out.textContent = 'running…';
    try {
      const r = await api(`control/${method}`, {});
      const ok = method === 'testDnsRecord' ? r.ok : r.sent;
      out.className = `result ${ok ? 'ok' : 'bad'}`;
      out.textContent = lines(r).join('\n');
    } catch (e) {
      out.className = 'result bad';
      out.textContent = e.message;
    }
    loadAudit();
  }

  $('test-dns').addEventListener('click', () =>
    runTest('testDnsRecord', (r) => [
      `${r.ok ? 'ok' : 'failed'}: test record ${r.name} through ${r.server}`,
      ...r.steps.map(
        (s) =>
          `  ${s.step}: ${s.skipped ? 'skipped' : s.ok ? 'ok' : 'failed'} ${s.detail}${s.hint ? ` (${s.hint})` : ''}`,
      ),
    ]),
  );

  $('test-message').addEventListener('click', () =>
    runTest('sendTestMessage', (r) => [
      r.message,
      ...r.transports.map((t) => `  ${t.transport} ${t.target}: ${t.ok ? 'ok' : 'failed'} ${t.detail}`),
    ]),
  );
}
