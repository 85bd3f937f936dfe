// A TCP connect with a deadline; the connection is closed as soon as it is made.
import { connect } from 'node:net';
import { ProbeTimeout } from './net-errors';

export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new ProbeTimeout(timeoutMs)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Date.now() - started);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
