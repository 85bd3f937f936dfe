// What the embedded DNS server answers, without sockets: decode a request, check its TSIG,
// answer a query from the zone, or hand an update back to the caller to apply (in order, and
// persisted before the answer). Queries may be signed or not; updates must be signed with one
// of the configured keys (unsigned: REFUSED, as BIND does with allow-update { key K; }).
import { rcodeValue, TsigError, type RcodeName } from './errors';
import {
  findTsig,
  signMessage,
  verifyMessage,
  type TsigAlgorithm,
  type TsigKey,
  type TsigRecord,
} from './tsig';
import { applyUpdate, type UpdateOutcome } from './zone-update';
import { answerQuery, type Zone } from './zone';
import {
  canonicalName,
  decodeHeader,
  decodeMessage,
  encodeMessage,
  Opcode,
  RRType,
  type DecodedMessage,
  type ResourceRecord,
} from './wire';

export type Prepared =
  | { kind: 'reply'; reply: Buffer; log?: string }
  | { kind: 'drop' }
  /** Apply to the zone current at that time; persist if changed; then send respond(rcode). */
  | {
      kind: 'update';
      apply: (zone: Zone) => UpdateOutcome;
      respond: (rcode: RcodeName) => Buffer;
      key: string;
    };

export interface HandlerContext {
  zone: Zone;
  keys: TsigKey[];
  now: number;
  /** Over UDP answers are cut to the size the requester offers (EDNS) or 512 bytes; TC tells it to retry over TCP. */
  transport: 'udp' | 'tcp';
}

const EDNS_UDP_SIZE = 1232;

interface Signing {
  key: TsigKey;
  requestMac: Buffer;
  tsig: TsigRecord;
}

/** Encodes an answer echoing the request's ID, opcode, RD and question, then signs it if the request was. */
function respond(
  req: DecodedMessage,
  rcode: RcodeName,
  sections: { answers?: ResourceRecord[]; authorities?: ResourceRecord[] },
  signing: Signing | undefined,
  maxBytes: number,
  now: number,
): Buffer {
  const aa = rcode === 'NOERROR' || rcode === 'NXDOMAIN';
  // RFC 6891 §7: answer an EDNS request with an OPT record of our own.
  const opt: ResourceRecord[] = req.additionals.some((rr) => rr.type === RRType.OPT)
    ? [{ name: '', type: RRType.OPT, class: EDNS_UDP_SIZE, ttl: 0, rdata: Buffer.alloc(0) }]
    : [];
  const build = (tc: boolean, s: typeof sections) => {
    const bytes = encodeMessage({
      id: req.id,
      qr: true,
      opcode: req.opcode,
      aa,
      tc,
      rd: req.rd,
      ra: false,
      rcode: rcodeValue(rcode),
      questions: req.questions,
      answers: s.answers ?? [],
      authorities: s.authorities ?? [],
      additionals: opt,
    });
    return signing ? signMessage(bytes, signing.key, { now, requestMac: signing.requestMac }).message : bytes;
  };
  const full = build(false, sections);
  return full.length <= maxBytes ? full : build(true, {});
}

/** An unverifiable request gets NOTAUTH with the TSIG error; BADTIME answers are signed (RFC 8945 §5.2). */
function tsigFailure(
  req: DecodedMessage,
  tsig: TsigRecord,
  error: 'BADKEY' | 'BADSIG' | 'BADTIME' | 'BADTRUNC',
  key: TsigKey | undefined,
  now: number,
): Buffer {
  const bytes = encodeMessage({
    ...req,
    qr: true,
    aa: false,
    ra: false,
    tc: false,
    rcode: rcodeValue('NOTAUTH'),
    answers: [],
    authorities: [],
    additionals: [],
  });
  if (error === 'BADTIME' && key) {
    const other = Buffer.alloc(6);
    other.writeUIntBE(Math.floor(now / 1000), 0, 6);
    return signMessage(bytes, key, {
      now: tsig.timeSigned * 1000,
      requestMac: tsig.mac,
      error: TsigError.BADTIME,
      other,
    }).message;
  }
  const asSent: TsigKey = { name: tsig.keyName, algorithm: tsig.algorithm as TsigAlgorithm, secret: '' };
  return signMessage(bytes, asSent, { now, error: TsigError[error], unsigned: true }).message;
}

export function prepare(request: Buffer, ctx: HandlerContext): Prepared {
  let req: DecodedMessage;
  try {
    req = decodeMessage(request);
  } catch {
    // Answer FORMERR to anything that looks like a request; drop the rest (and every response).
    if (request.length < 12 || decodeHeader(request).qr) return { kind: 'drop' };
    const h = decodeHeader(request);
    const reply = encodeMessage({
      ...h,
      qr: true,
      aa: false,
      tc: false,
      ra: false,
      rcode: rcodeValue('FORMERR'),
      questions: [],
      answers: [],
      authorities: [],
      additionals: [],
    });
    return { kind: 'reply', reply, log: 'malformed request: FORMERR' };
  }
  if (req.qr) return { kind: 'drop' };
  const offered = req.additionals.find((rr) => rr.type === RRType.OPT)?.class ?? 512;
  const maxBytes = ctx.transport === 'tcp' ? 65535 : Math.min(Math.max(offered, 512), EDNS_UDP_SIZE);
  const reply = (rcode: RcodeName, log: string, signing?: Signing, sections = {}): Prepared => ({
    kind: 'reply',
    reply: respond(req, rcode, sections, signing, maxBytes, ctx.now),
    log,
  });

  let signing: Signing | undefined;
  let tsig;
  try {
    tsig = findTsig(req);
  } catch (e) {
    return reply('FORMERR', (e as Error).message);
  }
  if (tsig) {
    const t = tsig.record;
    const key = ctx.keys.find(
      (k) => canonicalName(k.name) === canonicalName(t.keyName) && k.algorithm === canonicalName(t.algorithm),
    );
    const verified = key
      ? verifyMessage(req, tsig, key, { now: ctx.now })
      : ({ ok: false, error: 'BADKEY', detail: `unknown key "${t.keyName}" (${t.algorithm})` } as const);
    if (!verified.ok) {
      return {
        kind: 'reply',
        reply: tsigFailure(req, t, verified.error, key, ctx.now),
        log: `TSIG ${verified.error}: ${verified.detail}`,
      };
    }
    signing = { key: key!, requestMac: t.mac, tsig: t };
  }

  if (req.opcode === Opcode.QUERY) {
    if (req.questions.length !== 1) return reply('FORMERR', 'a query needs exactly one question');
    const answer = answerQuery(ctx.zone, req.questions[0]!);
    return reply(answer.rcode, '', signing, answer);
  }
  if (req.opcode === Opcode.UPDATE) {
    if (!signing) return reply('REFUSED', 'unsigned update refused');
    const s = signing;
    return {
      kind: 'update',
      key: s.key.name,
      apply: (zone) => applyUpdate(zone, req),
      respond: (rcode) => respond(req, rcode, {}, s, 65535, ctx.now),
    };
  }
  return reply('NOTIMP', `opcode ${req.opcode} not implemented`, signing);
}
