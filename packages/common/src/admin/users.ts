// The admin page's users: names, roles and scrypt password hashes in one JSON file (mode 0600)
// outside the replicated settings. The CLI writes it (`sparesync admin set-password`), the agent
// reads it at each login, so a new password works without a restart. There is no default user
// and no default password: an empty or missing file means nobody can log in.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedSettings } from '../config/load';
import { writeFileDurably } from '../durable-file';
import { SpareSyncError } from '../errors';

export type AdminRole = 'operator' | 'read-only';
export const adminRoles: readonly AdminRole[] = ['operator', 'read-only'];

/** scrypt parameters, stored with each hash so they can grow without breaking old hashes. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLen: number;
}

export interface AdminUser {
  name: string;
  role: AdminRole;
  /** `scrypt` with its parameters, base64 salt and base64 hash. */
  hash: { alg: 'scrypt'; salt: string; value: string } & ScryptParams;
  changedAtMs: number;
}

export interface AdminUsersFile {
  version: 1;
  users: AdminUser[];
}

/** 2^15 × 8 × 1: ~50 ms and 32 MiB per hash on these machines; slows guessing, not an operator. */
export const defaultScrypt: ScryptParams = { N: 32768, r: 8, p: 1, keyLen: 32 };

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const MIN_PASSWORD_LENGTH = 8;

function scrypt(password: string, salt: Buffer, k: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: k.N, r: k.r, p: k.p, maxmem: 256 * k.N * k.r };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, k.keyLen, opts, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export async function hashPassword(
  password: string,
  k: ScryptParams = defaultScrypt,
): Promise<AdminUser['hash']> {
  const salt = randomBytes(16);
  const value = await scrypt(password, salt, k);
  return { alg: 'scrypt', ...k, salt: salt.toString('base64'), value: value.toString('base64') };
}

/** A hash that matches nothing: login runs scrypt on it for an unknown user, so timing is the same. */
const decoy: AdminUser['hash'] = {
  alg: 'scrypt',
  ...defaultScrypt,
  salt: randomBytes(16).toString('base64'),
  value: randomBytes(defaultScrypt.keyLen).toString('base64'),
};

/**
 * The user when name and password match, else undefined. scrypt always runs (on a decoy hash for
 * an unknown name), so a wrong password and an unknown user take the same time and look the same.
 */
export async function verifyLogin(
  users: readonly AdminUser[],
  name: string,
  password: string,
): Promise<AdminUser | undefined> {
  const user = users.find((u) => u.name === name);
  const h = user?.hash ?? decoy;
  const got = await scrypt(password, Buffer.from(h.salt, 'base64'), h);
  const want = Buffer.from(h.value, 'base64');
  const same = got.length === want.length && timingSafeEqual(got, want);
  return user && same ? user : undefined;
}

/** The users file named by admin.usersFile, or admin-users.json in the data folder. */
export function adminUsersPath(loaded: LoadedSettings): string {
  const s = loaded.settings;
  return s.admin.usersFile
    ? loaded.resolvePath(s.admin.usersFile)
    : join(loaded.resolvePath(s.dataDir), 'admin-users.json');
}

/** The users; none when the file does not exist. A damaged file is an error, never "no users". */
export function readAdminUsers(file: string): AdminUser[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const doc = JSON.parse(text) as Partial<AdminUsersFile>;
  if (doc.version !== 1 || !Array.isArray(doc.users)) {
    throw new SpareSyncError('ConfigInvalid', `${file} is not a SpareSync admin users file`, {
      hint: 'set the passwords again with `sparesync admin set-password`',
    });
  }
  return doc.users;
}

async function writeAdminUsers(file: string, users: AdminUser[]): Promise<void> {
  const doc: AdminUsersFile = { version: 1, users };
  await writeFileDurably(file, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600, mkdir: true });
}

export function checkUserName(name: string): void {
  if (!USER_NAME.test(name)) {
    throw new SpareSyncError(
      'InvalidArgument',
      `user name "${name}": use 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`,
    );
  }
}

/** Adds the user or replaces its password (and role); returns whether the user was new. */
export async function setAdminPassword(
  file: string,
  u: { name: string; role: AdminRole; password: string; now?: number },
): Promise<boolean> {
  checkUserName(u.name);
  if (!adminRoles.includes(u.role)) {
    throw new SpareSyncError('InvalidArgument', `role "${u.role}": expected operator or read-only`);
  }
  if (u.password.length < MIN_PASSWORD_LENGTH) {
    throw new SpareSyncError(
      'InvalidArgument',
      `the password is too short: use at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
  const users = readAdminUsers(file);
  const user: AdminUser = {
    name: u.name,
    role: u.role,
    hash: await hashPassword(u.password),
    changedAtMs: u.now ?? Date.now(),
  };
  const i = users.findIndex((x) => x.name === u.name);
  if (i >= 0) users[i] = user;
  else users.push(user);
  await writeAdminUsers(file, users);
  return i < 0;
}

/** Removes the user; false when there was none of that name. */
export async function removeAdminUser(file: string, name: string): Promise<boolean> {
  const users = readAdminUsers(file);
  const rest = users.filter((u) => u.name !== name);
  if (rest.length === users.length) return false;
  await writeAdminUsers(file, rest);
  return true;
}
