#!/usr/bin/env node
// `node scripts/gen-settings-doc.js [--check]`: writes docs/settings.md from the settings schema and
// templates (packages/common/src/config). It compiles packages/common first, so the document always
// reflects the current source, never a stale build. --check writes nothing and exits 1 when the file
// is out of date (the unit test settings-doc.test.ts checks the same).
const { spawnSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const target = join(root, 'docs', 'settings.md');
const check = process.argv.includes('--check');

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/common'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  console.error('gen-settings-doc: packages/common does not compile; docs/settings.md not written');
  process.exit(1);
}

const { renderSettingsDoc } = require(join(root, 'packages', 'common', 'dist', 'config', 'settings-doc.js'));
const text = renderSettingsDoc();
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // absent: written below, or out of date for --check
}
const name = relative(process.cwd(), target);
if (current === text) {
  console.log(`${name} is up to date`);
} else if (check) {
  console.error(`${name} is out of date: run node scripts/gen-settings-doc.js`);
  process.exit(1);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${name}`);
}
