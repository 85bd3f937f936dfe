// The settings form, generated from the settings JSON Schema the agent validates with: one group
// per section, each plain setting with its description, default, range, and the guide's markers
// (critical ones highlighted, restart-required and this-server-only ones marked). Lists and maps
// are left to the raw view and the CLI. Changed fields go to the agent in one setSettings call;
// when it refuses, each problem shows next to its field and nothing is written.
import { $, el, fill, api } from './dom.js';

let schema = null;
const original = new Map(); // pointer → JSON text of the value in force

function leaves(node, pointer, inherited, value, out) {
  const flags = {
    critical: inherited.critical || node['x-critical'] === true,
    restart: inherited.restart || node['x-restartRequired'] === true,
    local: inherited.local || node['x-local'] === true,
  };
  if (node.type === 'object' && node.properties) {
    for (const [k, child] of Object.entries(node.properties)) {
      if (k === '$schema') continue;
      leaves(child, `${pointer}/${k}`, flags, value ? value[k] : undefined, out);
    }
  } else if (['boolean', 'integer', 'number', 'string'].includes(node.type)) {
    out.push({ pointer, node, flags, value });
  }
}

function input(f) {
  const { node, value } = f;
  const common = { 'data-pointer': f.pointer, id: `field-${f.pointer}` };
  if (node.type === 'boolean') return el('input', { ...common, type: 'checkbox', checked: value === true });
  if (node.enum) {
    return el(
      'select',
      common,
      node.enum.map((v) => el('option', { value: v, selected: v === value }, v)),
    );
  }
  if (node.type === 'integer' || node.type === 'number') {
    return el('input', {
      ...common,
      type: 'number',
      step: node.type === 'integer' ? '1' : 'any',
      min: node.minimum,
      max: node.maximum,
      value: value ?? '',
    });
  }
  return el('input', { ...common, type: 'text', value: value ?? '' });
}

/** Whether the control differs from the value in force (an empty box on an unset setting does not). */
function dirty(control) {
  const v = valueOf(control);
  const was = original.get(control.dataset.pointer);
  if ((v === '' || v === null) && (was === 'null' || was === '""')) return false;
  return JSON.stringify(v) !== was;
}

function valueOf(control) {
  if (control.type === 'checkbox') return control.checked;
  if (control.type === 'number') return control.value === '' ? null : Number(control.value);
  return control.value;
}

function field(f) {
  const badges = [
    f.flags.critical && el('span', { class: 'badge bad' }, 'critical'),
    f.flags.restart && el('span', { class: 'badge warn' }, 'restart required'),
    f.flags.local && el('span', { class: 'badge' }, 'this server only'),
  ];
  const { minimum: lo, maximum: hi } = f.node;
  const range =
    lo !== undefined && hi !== undefined
      ? ` From ${lo} to ${hi}.`
      : lo !== undefined
        ? ` At least ${lo}.`
        : hi !== undefined
          ? ` At most ${hi}.`
          : '';
  const dflt = f.node.default !== undefined ? ` Default: ${JSON.stringify(f.node.default)}.` : '';
  original.set(f.pointer, JSON.stringify(f.value ?? null));
  return el(
    'div',
    { class: `field${f.flags.critical ? ' critical' : ''}`, 'data-field': f.pointer },
    el(
      'label',
      { for: `field-${f.pointer}` },
      el('code', {}, f.pointer.slice(1).replaceAll('/', '.')),
      ' ',
      badges,
    ),
    el('div', { class: 'muted small' }, `${f.node.description || ''}${range}${dflt}`),
    input(f),
    el('p', { class: 'field-error', hidden: true }),
  );
}

/** Renders the form for the settings in force (`values`: the whole settings, defaults filled in). */
export async function renderSettingsForm(values) {
  schema = schema || (await api('schema'));
  original.clear();
  const groups = [];
  const general = [];
  for (const [k, node] of Object.entries(schema.properties)) {
    const out = [];
    leaves(node, `/${k}`, { critical: false, restart: false, local: false }, values[k], out);
    if (!out.length) continue;
    if (node.type === 'object') groups.push({ name: k, description: node.description, fields: out });
    else general.push(...out);
  }
  groups.unshift({ name: 'general', description: 'This server.', fields: general });
  fill(
    'settings-groups',
    groups.map((g) =>
      el(
        'details',
        { class: 'group' },
        el(
          'summary',
          {},
          el('strong', {}, g.name),
          ' ',
          el('span', { class: 'muted small' }, g.description || ''),
        ),
        g.fields.map(field),
      ),
    ),
  );
  changed();
}

function controls() {
  return [...document.querySelectorAll('#settings-groups [data-pointer]')];
}

function changed() {
  let n = 0;
  for (const c of controls()) {
    const d = dirty(c);
    c.closest('.field').classList.toggle('changed', d);
    if (d) n++;
  }
  $('form-apply').disabled = n === 0;
  fill('form-apply', n ? `Apply ${n} change${n > 1 ? 's' : ''}` : 'No changes');
}

/** Sends the changed fields; returns the agent's reply, or throws with its problems. */
async function apply(thisServerOnly, dryRun) {
  const changes = controls()
    .filter(dirty)
    .map((c) => ({ path: c.dataset.pointer, valueJson: JSON.stringify(valueOf(c)), remove: false }));
  for (const p of document.querySelectorAll('#settings-groups .field-error')) p.hidden = true;
  try {
    return await api('control/setSettings', { changes, thisServerOnly, dryRun });
  } catch (e) {
    // Each problem names its JSON path ("FILE: /network/maxConnections = -5: expected …").
    for (const c of controls()) {
      const line = e.message.split(/;\s*|\n/).find((l) => l.includes(`${c.dataset.pointer} =`));
      if (!line) continue;
      const p = c.closest('.field').querySelector('.field-error');
      p.hidden = false;
      p.textContent = line.slice(line.indexOf(c.dataset.pointer));
      c.closest('details').open = true;
    }
    throw e;
  }
}

export function bindSettingsForm(onApplied) {
  $('settings-groups').addEventListener('input', changed);
  $('settings-groups').addEventListener('change', changed);
  $('form-apply').addEventListener('click', async () => {
    const err = $('form-error');
    const out = $('form-result');
    err.hidden = true;
    out.hidden = true;
    try {
      const r = await apply($('form-here').checked, $('form-dry').checked);
      out.hidden = false;
      out.textContent = r.message;
      await onApplied(r);
    } catch (e) {
      err.hidden = false;
      err.textContent = e.message;
    }
  });
}
