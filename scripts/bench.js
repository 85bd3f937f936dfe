#!/usr/bin/env node
// `pnpm bench [name...]`: runs the named benchmarks (all when none is named), each printing a table.
// Benchmarks live in bench/src/<name>.ts and are compiled by `pnpm bench` before this runs.
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'bench', 'dist');
const available = readdirSync(dist)
  .filter((f) => f.endsWith('.js') && !f.startsWith('lib-'))
  .map((f) => f.slice(0, -3));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(64);
}
let failed = false;
for (const name of wanted.length ? wanted : available) {
  console.log(`\n== bench ${name} ==`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dist, `${name}.js`)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
