#!/usr/bin/env node
// `pnpm release`: one tarball an operator installs without the development toolchain:
//   npm install -g --allow-scripts=better-sqlite3 ./sparesync-<version>.tgz
// puts `sparesync` and `sparesync-agent` on PATH (npm 11 runs no install script it was not told to:
// better-sqlite3 compiles its native module in one).
// It holds the compiled JavaScript of the shipped packages (common, agent, cli; never the devkit)
// as bundled dependencies; the third-party packages they use are ordinary dependencies that npm
// installs (better-sqlite3, the one native module, builds as it does for a development checkout).
// Run after `pnpm build` (the package script does both). Writes .release/sparesync-<version>.tgz.
const { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const out = join(root, '.release');
const stage = join(out, 'sparesync');
const shipped = ['common', 'agent', 'cli'];
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const version = read(join(root, 'package.json')).version;

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const thirdParty = {};
for (const name of shipped) {
  const src = join(root, 'packages', name);
  const pkg = read(join(src, 'package.json'));
  const dest = join(stage, 'node_modules', '@sparesync', name);
  cpSync(join(src, 'dist'), join(dest, 'dist'), {
    recursive: true,
    filter: (p) => !/\.test\.(js|d\.ts)(\.map)?$/.test(p) && !p.endsWith('.tsbuildinfo'),
  });
  for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
    if (dep.startsWith('@sparesync/')) continue;
    if (thirdParty[dep] && thirdParty[dep] !== range)
      throw new Error(`${dep}: ${name} asks ${range}, another package ${thirdParty[dep]}; make them agree`);
    thirdParty[dep] = range;
  }
  // Bundled packages declare no dependencies of their own: npm would take those for part of the
  // bundle and leave them out (better-sqlite3 then fails to build in an empty folder). They
  // resolve the third-party packages from the top package's node_modules, one level up.
  delete pkg.dependencies;
  delete pkg.devDependencies;
  delete pkg.private;
  writeFileSync(join(dest, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2) + '\n');
}
const top = read(join(root, 'package.json'));
writeFileSync(
  join(stage, 'package.json'),
  JSON.stringify(
    {
      name: 'sparesync',
      version,
      description: top.description,
      engines: top.engines,
      bin: {
        sparesync: 'node_modules/@sparesync/cli/dist/main.js',
        'sparesync-agent': 'node_modules/@sparesync/agent/dist/main.js',
      },
      dependencies: Object.fromEntries(Object.entries(thirdParty).sort()),
      bundleDependencies: shipped.map((n) => `@sparesync/${n}`),
    },
    null,
    2,
  ) + '\n',
);
cpSync(join(root, 'README.md'), join(stage, 'README.md'));
const name = execFileSync('npm', ['pack', '--pack-destination', out], { cwd: stage, encoding: 'utf8' })
  .trim()
  .split('\n')
  .at(-1);
process.stdout.write(`${join(out, name)}\n`);
