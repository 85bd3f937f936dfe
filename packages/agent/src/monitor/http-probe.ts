// One HTTP(S) GET with a deadline for the whole answer; no redirects followed, no connection reuse.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { ProbeTimeout } from './net-errors';

export interface HttpProbeOptions {
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), added to the public ones. */
  ca?: string;
  /** Read up to this many bytes of the body; 0: stop after the status line and headers. */
  maxBodyBytes: number;
}

export interface HttpAnswer {
  status: number;
  body: string;
  ms: number;
}

export function httpGet(url: URL, opts: HttpProbeOptions): Promise<HttpAnswer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const https = url.protocol === 'https:';
    const request = https ? httpsRequest : httpRequest;
    const req = request(url, {
      method: 'GET',
      agent: false,
      headers: { 'user-agent': 'sparesync-monitor', connection: 'close' },
      ...(https && opts.ca ? { ca: [...rootCertificates, opts.ca] } : {}),
    });
    const timer = setTimeout(() => req.destroy(new ProbeTimeout(opts.timeoutMs)), opts.timeoutMs);
    const fail = (e: unknown) => {
      clearTimeout(timer);
      // Passed on as is: errors from node's own modules may come from another realm (jest), where
      // instanceof Error is false, and wrapping them would lose their code.
      reject(e as Error);
    };
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const done = (body: string) => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status, body, ms: Date.now() - started });
      };
      if (opts.maxBodyBytes <= 0) return done('');
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= opts.maxBodyBytes)
          done(Buffer.concat(chunks).subarray(0, opts.maxBodyBytes).toString('utf8'));
      });
      res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
      res.on('error', fail);
    });
    req.end();
  });
}
