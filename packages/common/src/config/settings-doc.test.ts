// docs/settings.md must be what the schema renders today, so the reference cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSettings } from './annotations';
import { markdownTable, renderSettingsDoc } from './settings-doc';

const docFile = join(__dirname, '..', '..', '..', '..', 'docs', 'settings.md');

describe('docs/settings.md', () => {
  const rendered = renderSettingsDoc();

  it('is up to date with the schema and templates (else run: node scripts/gen-settings-doc.js)', () => {
    const onDisk = readFileSync(docFile, 'utf8').split('\n');
    const fresh = rendered.split('\n');
    const at = fresh.findIndex((line, i) => line !== onDisk[i]);
    const firstDifference =
      at === -1 && onDisk.length === fresh.length
        ? 'none'
        : `line ${(at === -1 ? fresh.length : at) + 1}: expected ${JSON.stringify(fresh[at])}, found ${JSON.stringify(onDisk[at])}`;
    expect(`first difference: ${firstDifference}`).toBe('first difference: none');
  });

  it('documents every setting with its markers, defaults and template values', () => {
    for (const s of listSettings()) expect(rendered).toContain(`\`${s.path}\``);
    const block = (path: string) => rendered.split(`\`${path}\`\n\n`)[1]!.split('\n\n#')[0]!;
    expect(block('/tls/key')).toContain('- Markers: **critical**, restart required, local');
    expect(block('/network/compression')).toContain('- Default: `true`');
    expect(block('/network/compression')).toContain(
      '- Templates: network:slow `true`, network:ordinary `true`, network:fast `false` (guide §7.2.1)',
    );
    expect(block('/network/blockSizeBytes')).toContain('- Type: integer, 1024 to 16777216');
    expect(block('/log/level')).toContain('- Type: string, one of "error", "warn", "info", "debug"');
    expect(block('/peer/fingerprint')).toContain('- Required: yes');
  });
});

describe('markdownTable', () => {
  it('pads columns as Prettier does', () => {
    expect(markdownTable(['a', 'long header'], [['xxxxx', 'y']])).toBe(
      ['| a     | long header |', '| ----- | ----------- |', '| xxxxx | y           |'].join('\n'),
    );
  });
});
