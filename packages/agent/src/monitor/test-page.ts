// The managed system's test page (guide §4): the secondary requests the primary's to decide whether
// the managed system is available, and its own after starting it in a switch.
// Failures of the world (refused, timeout, wrong status, missing text, untrusted certificate) come
// back as { ok: false, detail }; errors in the settings (a URL that is not http(s), an unreadable
// CA file) throw SpareSyncError, because a misconfigured probe must not look like a dead primary.
import { readFile } from 'node:fs/promises';
import { SpareSyncError, type Role, type Settings } from '@sparesync/common';
import { httpGet } from './http-probe';
import { displayUrl, isCertificateError, messageOf, netErrorPhrase } from './net-errors';

export type TestPageSettings = Pick<Settings, 'managedSystem'>;

export interface ProbeResult {
  ok: boolean;
  /** One sentence naming what was checked and what failed. */
  detail: string;
}

const MAX_BODY = 1024 * 1024;
const SETTING = 'managedSystem.testPage';

/** The URL setting of a role's test page and its value ('' when not configured). */
export function testPageUrlOf(settings: TestPageSettings, target: Role): { setting: string; url: string } {
  const key = target === 'primary' ? 'primaryUrl' : 'secondaryUrl';
  return { setting: `${SETTING}.${key}`, url: settings.managedSystem.testPage[key].trim() };
}

/** Parses an http(s) URL setting; throws ConfigInvalid naming the setting otherwise. */
export function parseHttpUrl(setting: string, value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new SpareSyncError(
      'ConfigInvalid',
      `${setting} ${JSON.stringify(displayUrl(value))} is not an http(s) URL`,
    );
  return url;
}

/** Judges an answer: the expected status, and the expected text when one is set. */
export function judgeAnswer(
  shown: string,
  answer: { status: number; body: string; ms: number },
  expect: { expectStatus: number; bodyContains: string },
): ProbeResult {
  if (answer.status !== expect.expectStatus)
    return {
      ok: false,
      detail: `the test page ${shown} answered ${answer.status}, expected ${expect.expectStatus}`,
    };
  if (expect.bodyContains && !answer.body.includes(expect.bodyContains))
    return {
      ok: false,
      detail: `the test page ${shown} answered ${answer.status} but its body does not contain ${JSON.stringify(expect.bodyContains)}`,
    };
  return { ok: true, detail: `the test page ${shown} answered ${answer.status} in ${answer.ms} ms` };
}

export async function checkTestPage(
  settings: TestPageSettings,
  target: Role,
  resolvePath: (p: string) => string = (p) => p,
): Promise<ProbeResult> {
  const page = settings.managedSystem.testPage;
  const { setting, url: value } = testPageUrlOf(settings, target);
  if (!value)
    return {
      ok: true,
      detail: `no test page is configured for the ${target} (${setting}), so it was not checked`,
    };
  const url = parseHttpUrl(setting, value);
  const ca = url.protocol === 'https:' && page.caFile ? await readCa(resolvePath(page.caFile)) : undefined;
  const shown = displayUrl(url);
  const timeoutMs = page.timeoutSeconds * 1000;
  try {
    const answer = await httpGet(url, { timeoutMs, ca, maxBodyBytes: page.bodyContains ? MAX_BODY : 0 });
    return judgeAnswer(shown, answer, page);
  } catch (e) {
    const phrase = netErrorPhrase(e);
    if (phrase.startsWith('no answer within'))
      return { ok: false, detail: `the test page ${shown} gave ${phrase} (${SETTING}.timeoutSeconds)` };
    const hint = isCertificateError(e)
      ? page.caFile
        ? `; check that ${SETTING}.caFile holds the CA that signed it`
        : `; set ${SETTING}.caFile to the CA that signed it`
      : '';
    return { ok: false, detail: `the test page ${shown} could not be reached: ${phrase}${hint}` };
  }
}

async function readCa(file: string): Promise<string> {
  try {
    const pem = await readFile(file, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    return pem;
  } catch (e) {
    throw new SpareSyncError('ConfigInvalid', `${SETTING}.caFile (${file}) cannot be used: ${messageOf(e)}`, {
      cause: e,
    });
  }
}
