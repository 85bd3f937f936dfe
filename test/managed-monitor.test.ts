// The monitor probes against real servers on 127.0.0.1: the sample app's test page (ok, wrong
// status, missing text, refused, a server that never answers), https with and without the CA
// file, and external resources with one open and one closed port.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExternalResources, checkTestPage } from '../packages/agent/src/monitor';
import { freePort, managedSettings, requireSampleApp, type ManagedPatch } from './harness/managed';
import { tempDir } from './harness/pair';

const dir = tempDir('monitor');
let appPort: number;
let closedPort: number;
const servers: { close(): unknown }[] = [];
const sockets: Socket[] = [];

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
}

beforeAll(async () => {
  appPort = await freePort();
  closedPort = await freePort();
  execFileSync(process.execPath, [
    requireSampleApp(),
    'start',
    '--port',
    String(appPort),
    '--dir',
    dir,
    '--name',
    't',
  ]);
});

afterAll(() => {
  spawnSync(process.execPath, [requireSampleApp(), 'stop', '--dir', dir]);
  sockets.forEach((s) => s.destroy());
  servers.forEach((s) => s.close());
});

const page = (testPage: ManagedPatch['testPage']) =>
  managedSettings({ testPage: { timeoutSeconds: 2, ...testPage } });

describe('checkTestPage', () => {
  it('is ok when the sample app answers 200 with the expected text', async () => {
    const url = `http://127.0.0.1:${appPort}/health`;
    const r = await checkTestPage(page({ primaryUrl: url, bodyContains: 'sample app t ok' }), 'primary');
    expect(r).toEqual({
      ok: true,
      detail: expect.stringMatching(
        /^the test page http:\/\/127\.0\.0\.1:\d+\/health answered 200 in \d+ ms$/,
      ),
    });
  });

  it('checks the secondary’s own page by its own URL, and says when none is configured', async () => {
    const url = `http://127.0.0.1:${appPort}/`;
    expect((await checkTestPage(page({ secondaryUrl: url }), 'secondary')).ok).toBe(true);
    expect(await checkTestPage(page({ primaryUrl: url }), 'secondary')).toEqual({
      ok: true,
      detail:
        'no test page is configured for the secondary (managedSystem.testPage.secondaryUrl), so it was not checked',
    });
  });

  it('fails on another status, naming both', async () => {
    const url = `http://127.0.0.1:${appPort}/nope`;
    expect(await checkTestPage(page({ primaryUrl: url }), 'primary')).toEqual({
      ok: false,
      detail: `the test page ${url} answered 404, expected 200`,
    });
  });

  it('fails when the body lacks the text', async () => {
    const url = `http://127.0.0.1:${appPort}/`;
    expect(await checkTestPage(page({ primaryUrl: url, bodyContains: 'database ok' }), 'primary')).toEqual({
      ok: false,
      detail: `the test page ${url} answered 200 but its body does not contain "database ok"`,
    });
  });

  it('fails with "connection refused" when nothing listens', async () => {
    const url = `http://127.0.0.1:${closedPort}/`;
    expect(await checkTestPage(page({ primaryUrl: url }), 'primary')).toEqual({
      ok: false,
      detail: `the test page ${url} could not be reached: connection refused`,
    });
  });

  it('fails after timeoutSeconds against a server that accepts and never answers', async () => {
    const silent = createTcpServer((s) => sockets.push(s));
    const url = `http://127.0.0.1:${await listen(silent)}/`;
    const t0 = Date.now();
    const r = await checkTestPage(page({ primaryUrl: url, timeoutSeconds: 0.5 }), 'primary');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r).toEqual({
      ok: false,
      detail: `the test page ${url} gave no answer within 0.5 s (managedSystem.testPage.timeoutSeconds)`,
    });
  });

  it('refuses a test page URL that is not http(s) as a settings error, not as a failed page', async () => {
    await expect(checkTestPage(page({ primaryUrl: 'localhost:8080' }), 'primary')).rejects.toMatchObject({
      code: 'ConfigInvalid',
      message: 'managedSystem.testPage.primaryUrl "localhost:8080" is not an http(s) URL',
    });
  });

  describe('over https', () => {
    let url: string;
    const certDir = tempDir('monitor-tls');
    const cert = join(certDir, 'cert.pem');
    beforeAll(async () => {
      const key = join(certDir, 'key.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
        res.end('secure ok'),
      );
      url = `https://127.0.0.1:${await listen(server)}/`;
    });

    it('names the certificate failure and the caFile setting without the CA', async () => {
      const r = await checkTestPage(page({ primaryUrl: url }), 'primary');
      expect(r.ok).toBe(false);
      expect(r.detail).toMatch(
        /^the test page https:\/\/127\.0\.0\.1:\d+\/ could not be reached: its certificate is not trusted \(\w+\); set managedSystem\.testPage\.caFile to the CA that signed it$/,
      );
    });

    it('is ok with caFile (relative to the settings file)', async () => {
      const settings = page({ primaryUrl: url, bodyContains: 'secure ok', caFile: 'cert.pem' });
      expect((await checkTestPage(settings, 'primary', (p) => join(certDir, p))).ok).toBe(true);
    });

    it('reports an unreadable caFile as a settings error', async () => {
      await expect(
        checkTestPage(page({ primaryUrl: url, caFile: join(dir, 'missing.pem') }), 'primary'),
      ).rejects.toMatchObject({
        code: 'ConfigInvalid',
        message: expect.stringMatching(
          /^managedSystem\.testPage\.caFile \(.*missing\.pem\) cannot be used: ENOENT/,
        ),
      });
    });
  });
});

describe('checkExternalResources', () => {
  const ext = (externalResources: string[], timeout = 2) =>
    managedSettings({}, { externalResources, externalResourcesTimeoutSeconds: timeout });

  it('is ok with nothing configured', async () => {
    expect(await checkExternalResources(ext([]))).toEqual({
      ok: true,
      detail: 'no external resources configured',
    });
  });

  it('needs every resource: one open and one closed port is not ok, and the closed one is named', async () => {
    expect(await checkExternalResources(ext([`127.0.0.1:${appPort}`]))).toEqual({
      ok: true,
      detail: 'the external resource is reachable',
    });
    expect(await checkExternalResources(ext([`127.0.0.1:${appPort}`, `127.0.0.1:${closedPort}`]))).toEqual({
      ok: false,
      detail: `1 of 2 external resources unreachable: 127.0.0.1:${closedPort} (connection refused)`,
    });
  });

  it('counts any HTTP answer below 500, and tries all in parallel within the timeout', async () => {
    const failing = createHttpServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const silent = createTcpServer((s) => sockets.push(s));
    const [bad, mute] = [await listen(failing), await listen(silent)];
    const t0 = Date.now();
    const r = await checkExternalResources(
      ext(
        [
          `http://127.0.0.1:${appPort}/nope`,
          `http://127.0.0.1:${bad}/`,
          `http://127.0.0.1:${mute}/`,
          `[::ffff:127.0.0.1]:${closedPort}`,
          'not a resource',
        ],
        1,
      ),
    );
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(r).toEqual({
      ok: false,
      detail: `4 of 5 external resources unreachable: http://127.0.0.1:${bad}/ (answered 503); http://127.0.0.1:${mute}/ (no answer within 1 s); [::ffff:127.0.0.1]:${closedPort} (connection refused); not a resource (not an http(s) URL or host:port)`,
    });
  });
});
