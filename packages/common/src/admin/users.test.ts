import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAdminUsers, removeAdminUser, setAdminPassword, verifyLogin } from './users';

describe('admin users file', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'admin-users-')), 'sub', 'users.json');

  it('has no user until a password is set, and never a default one', async () => {
    expect(readAdminUsers(file)).toEqual([]);
    expect(await verifyLogin([], 'admin', 'admin')).toBeUndefined();
  });

  it('stores a salted scrypt hash in a 0600 file and checks it', async () => {
    expect(await setAdminPassword(file, { name: 'alice', role: 'operator', password: 'correct horse' })).toBe(
      true,
    );
    expect(await setAdminPassword(file, { name: 'bob', role: 'read-only', password: 'correct horse' })).toBe(
      true,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const users = readAdminUsers(file);
    expect(users.map((u) => [u.name, u.role])).toEqual([
      ['alice', 'operator'],
      ['bob', 'read-only'],
    ]);
    expect(users[0]!.hash.salt).not.toBe(users[1]!.hash.salt);
    expect(JSON.stringify(users)).not.toContain('correct horse');
    expect((await verifyLogin(users, 'alice', 'correct horse'))?.name).toBe('alice');
    expect(await verifyLogin(users, 'alice', 'wrong horse')).toBeUndefined();
    expect(await verifyLogin(users, 'carol', 'correct horse')).toBeUndefined();
  });

  it('replaces a password, removes a user, refuses short passwords and odd names', async () => {
    expect(await setAdminPassword(file, { name: 'alice', role: 'operator', password: 'new password' })).toBe(
      false,
    );
    const users = readAdminUsers(file);
    expect(await verifyLogin(users, 'alice', 'correct horse')).toBeUndefined();
    expect((await verifyLogin(users, 'alice', 'new password'))?.name).toBe('alice');
    expect(await removeAdminUser(file, 'bob')).toBe(true);
    expect(await removeAdminUser(file, 'bob')).toBe(false);
    await expect(setAdminPassword(file, { name: 'x', role: 'operator', password: 'short' })).rejects.toThrow(
      /too short/,
    );
    await expect(
      setAdminPassword(file, { name: '../x', role: 'operator', password: 'long enough' }),
    ).rejects.toThrow(/user name/);
  });
});
