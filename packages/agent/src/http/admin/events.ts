// Server-sent events for the page: the status once, then whenever something shown changes (the
// digest WatchStatus uses, on the same change events), and a comment as keepalive. The stream ends
// when the session ends or the server closes. The browser's EventSource reconnects by itself.
import type { FastifyReply } from 'fastify';
import type { Status } from '@sparesync/common';
import { statusDigest } from '../../api/watch-status';
import type { PeerView } from './peer';

export interface StatusSource {
  status(): Status;
  onChange(listener: () => void): () => void;
}

/** Also follows the other server: `peer` events carry its own status, or why it is unreachable. */
export function streamStatus(
  reply: FastifyReply,
  source: StatusSource,
  peer: { view: PeerView; subscribe(l: (v: PeerView) => void): () => void },
  stillLoggedIn: () => boolean,
  keepaliveMs = 15_000,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  let digest = '';
  const end = () => {
    clearInterval(timer);
    unsubscribe();
    unsubscribePeer();
    if (!res.writableEnded) res.end();
  };
  const send = (force: boolean) => {
    let status: Status;
    try {
      status = source.status();
    } catch {
      return; // still starting: the next change sends it
    }
    const next = statusDigest(status);
    if (!force && next === digest) return;
    digest = next;
    res.write(`event: status\ndata: ${JSON.stringify({ atMs: Date.now(), status })}\n\n`);
  };
  const unsubscribe = source.onChange(() => send(false));
  const sendPeer = (v: PeerView) => res.write(`event: peer\ndata: ${JSON.stringify(v)}\n\n`);
  const unsubscribePeer = peer.subscribe(sendPeer);
  const timer = setInterval(() => {
    if (!stillLoggedIn()) {
      res.write('event: logout\ndata: {}\n\n');
      end();
      return;
    }
    // Figures that move all the time (round trip, lag) refresh at the keepalive.
    send(true);
  }, keepaliveMs);
  res.on('close', end);
  send(true);
  if (peer.view.atMs) sendPeer(peer.view);
}
