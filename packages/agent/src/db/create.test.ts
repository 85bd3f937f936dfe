import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSettings } from '@sparesync/common';
import { createAdapter, maxBatchBytes } from './create';

const base = {
  role: 'primary',
  peer: { host: 'b', fingerprint: 'ab'.repeat(32) },
  tls: { ca: 'ca.pem', cert: 'c.pem', key: 'k.pem' },
  pairKeyFile: 'pair.key',
};

describe('database settings', () => {
  it('fills defaults and refuses unknown keys', () => {
    const ok = validateSettings({ ...base, database: { engine: 'sqlite', file: 'app.db' } });
    expect(ok.ok && ok.settings.database).toEqual({
      engine: 'sqlite',
      file: 'app.db',
      installOnFirstStart: true,
      capture: 'triggers',
      maxSlotWalMiB: 10240,
      connectionString: '',
      passwordFile: '',
      tables: { include: ['*'], exclude: [] },
      reinitOnError: true,
      backup: { folder: '', separateServer: false, agentFolder: '' },
    });
    const bad = validateSettings({ ...base, database: { engine: 'postgres', password: 'secret' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.path)).toContain('/database/password');
  });

  it('builds the adapter the settings describe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparesync-create-'));
    try {
      writeFileSync(join(dir, 'app.db'), '');
      const v = validateSettings({
        ...base,
        database: { engine: 'sqlite', file: 'app.db', tables: { exclude: ['tmp_*'] } },
      });
      if (!v.ok) throw new Error('invalid');
      const a = createAdapter(v.settings.database, (p) => join(dir, p));
      expect(a?.engine).toBe('sqlite');
      await a?.close();
      expect(createAdapter({ engine: 'none' })).toBeNull();
      expect(() => createAdapter({ engine: 'sqlite' })).toThrow(/database.file is required/);
      expect(() => createAdapter({ engine: 'mssql' })).toThrow(/database.connectionString is required/);
      expect(maxBatchBytes({ network: { maxReplicaSizeKiB: 3 } })).toBe(3072);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
