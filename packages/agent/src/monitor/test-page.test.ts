import { SpareSyncError } from '@sparesync/common';
import { displayUrl, netErrorPhrase, ProbeTimeout } from './net-errors';
import { judgeAnswer, parseHttpUrl, testPageUrlOf, type TestPageSettings } from './test-page';

const page = (over: Partial<TestPageSettings['managedSystem']['testPage']> = {}) =>
  ({
    managedSystem: {
      testPage: {
        primaryUrl: 'http://p/test',
        secondaryUrl: '',
        expectStatus: 200,
        bodyContains: '',
        timeoutSeconds: 1,
        caFile: '',
        ...over,
      },
    },
  }) as TestPageSettings;

describe('test page settings', () => {
  it('picks the URL of the target role and names its setting', () => {
    expect(testPageUrlOf(page(), 'primary')).toEqual({
      setting: 'managedSystem.testPage.primaryUrl',
      url: 'http://p/test',
    });
    expect(testPageUrlOf(page({ secondaryUrl: ' http://s/ ' }), 'secondary')).toEqual({
      setting: 'managedSystem.testPage.secondaryUrl',
      url: 'http://s/',
    });
  });

  it('refuses a URL that is not http(s), naming the setting and hiding credentials', () => {
    expect(() => parseHttpUrl('managedSystem.testPage.primaryUrl', 'ftp://u:pw@h/')).toThrow(
      'managedSystem.testPage.primaryUrl "ftp://***@h/" is not an http(s) URL',
    );
    expect(() => parseHttpUrl('x', 'not a url')).toThrow(SpareSyncError);
    expect(parseHttpUrl('x', 'https://h:8443/t').port).toBe('8443');
  });
});

describe('judgeAnswer', () => {
  const expectOk = { expectStatus: 200, bodyContains: 'ok' };
  it('wants the status and the text', () => {
    expect(judgeAnswer('U', { status: 200, body: 'all ok', ms: 3 }, expectOk)).toEqual({
      ok: true,
      detail: 'the test page U answered 200 in 3 ms',
    });
    expect(judgeAnswer('U', { status: 503, body: 'ok', ms: 3 }, expectOk)).toEqual({
      ok: false,
      detail: 'the test page U answered 503, expected 200',
    });
    expect(judgeAnswer('U', { status: 200, body: 'fine', ms: 3 }, expectOk)).toEqual({
      ok: false,
      detail: 'the test page U answered 200 but its body does not contain "ok"',
    });
    expect(
      judgeAnswer('U', { status: 204, body: '', ms: 3 }, { expectStatus: 204, bodyContains: '' }).ok,
    ).toBe(true);
  });
});

describe('network error phrases', () => {
  const err = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
  it.each([
    [err('ECONNREFUSED'), 'connection refused'],
    [err('ENOTFOUND'), 'host not found'],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'its certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), 'its certificate does not name this host'],
    [new ProbeTimeout(2500), 'no answer within 2.5 s'],
    [Object.assign(new Error('odd'), { code: 'EODD' }), 'odd (EODD)'],
  ])('%s', (e, phrase) => {
    expect(netErrorPhrase(e)).toBe(phrase);
  });

  it('never shows credentials of a URL', () => {
    expect(displayUrl('https://user:pw@h/x?y=1')).toBe('https://***@h/x?y=1');
    expect(displayUrl('http://h/')).toBe('http://h/');
  });
});
