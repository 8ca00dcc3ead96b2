/** Property tests: the parser and the stream framer return data for any input, and a stack survives garbage. */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SipStack, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { createResponse, frameStream, parseMessage, SipParseError, type ParseResult } from '../../src/engines/embedded/sip/message/index.js';
import { RawPeer, rawRequest } from './raw-peer.js';
import { SEMANTIC } from './torture/semantic.js';
import { VALID } from './torture/valid.js';

const RUNS = 2000;
const SEEDS: Buffer[] = [...Object.values(VALID), ...Object.values(SEMANTIC)].map((c) => c.bytes);

/** Parses and then touches every lazily parsed view; only SipParseError may come out of the getters. */
function exercise(buf: Buffer): ParseResult {
  const r = parseMessage(buf);
  frameStream(buf);
  if (!r.ok) {
    expect(r.error).toBeInstanceOf(SipParseError);
    // The core answers a partial request with 400/505 (RFC 3261 §8.2): building that answer must not throw.
    if (r.partialRequest) expect(createResponse(r.partialRequest, r.error.status).toBuffer().length).toBeGreaterThan(0);
    return r;
  }
  const m = r.message;
  for (const read of [() => m.callId, () => m.cseq, () => m.vias, () => m.from, () => m.to, () => m.getParsedHeader('contact'), () => m.getParsedHeader('route')]) {
    try {
      read();
    } catch (e) {
      expect(e).toBeInstanceOf(SipParseError);
    }
  }
  // Whatever we accept we can write back out and read again (proxies and B2BUAs forward what they parse).
  const again = parseMessage(m.toBuffer());
  if (!again.ok) throw new Error(`re-parse failed: ${again.error.message}\n${m.toBuffer().toString('latin1').slice(0, 400)}`);
  expect(again.message.headers.length).toBe(m.headers.length + (m.has('Content-Length') ? 0 : 1));
  return r;
}

const at = (buf: Buffer, n: number): number => (buf.length === 0 ? 0 : n % buf.length);

/** One mutation of a valid message, as a function of the bytes and a random number. */
type Mutation = (buf: Buffer, n: number, byte: number) => Buffer;
const MUTATIONS: Mutation[] = [
  (b, n, v) => {
    const c = Buffer.from(b);
    if (c.length > 0) c[at(c, n)] = v;
    return c;
  },
  (b, n) => b.subarray(0, at(b, n)),
  (b, n) => {
    const i = b.indexOf('\r\n', at(b, n));
    return i < 0 ? b : Buffer.concat([b.subarray(0, i), Buffer.from('\r\n'), b.subarray(i)]);
  },
  (b, n) => {
    const i = b.indexOf('\r\n', at(b, n));
    return i < 0 ? b : Buffer.concat([b.subarray(0, i), b.subarray(i + 2)]);
  },
  (b, n) => {
    const text = b.toString('latin1');
    const big = ['4294967295', '99999999999999999999', '-1', '0x10', '1e9', ''][n % 6] ?? '';
    return Buffer.from(text.replace(/^(Content-Length|l)[ \t]*:[^\r\n]*/im, `Content-Length: ${big}`), 'latin1');
  },
  (b, n) => {
    const i = b.indexOf(' ', at(b, n));
    return i < 0 ? b : Buffer.concat([b.subarray(0, i), Buffer.from('\r\n '), b.subarray(i + 1)]);
  },
  (b, n) => {
    const i = b.indexOf('\r\n', at(b, n));
    const line = ['Via: SIP/2.0/UDP [::1', 'Contact: *', 'To: <sip:a@b', 'CSeq: 1', 'Call-ID:', ':', ' folded', 'X: "\\'][n % 8] ?? '';
    return i < 0 ? b : Buffer.concat([b.subarray(0, i + 2), Buffer.from(line + '\r\n'), b.subarray(i + 2)]);
  },
  (b) => Buffer.from(b.toString('latin1').replaceAll('\r\n', '\n'), 'latin1'),
];

const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(fc.tuple(fc.nat(MUTATIONS.length - 1), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 5 }),
  )
  .map(([seed, ops]) => ops.reduce((b, [k, n, v]) => (MUTATIONS[k] ?? ((x: Buffer) => x))(b, n, v), seed));

const sipish = fc
  .array(
    fc.oneof(
      fc.constantFrom('INVITE ', 'SIP/2.0', ' sip:', '@', ';', ':', ',', '<', '>', '"', '\\', '\r\n', '\r\n\r\n', ' ', '\t', '%', 'Via: ', 'CSeq: 1 ', 'l: ', 'Content-Length: '),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'utf8'));

describe('parser fuzz', () => {
  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (a) => {
        exercise(Buffer.from(a));
      }),
      { numRuns: RUNS },
    );
  });

  it('random printable text and SIP-shaped fragments never throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 600 }).map((s) => Buffer.from(s)), sipish), (b) => {
        exercise(b);
      }),
      { numRuns: RUNS },
    );
  });

  it('mutated torture messages (flips, truncation, CRLF games, huge Content-Length, folding) never throw', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutated, (b) => {
        if (exercise(b).ok) accepted++;
      }),
      { numRuns: RUNS },
    );
    // The mutations are not all fatal: some inputs must still parse, or the property is vacuous.
    expect(accepted).toBeGreaterThan(0);
  });

  it('frameStream splits a stream of messages cut into random chunks exactly where parseMessage ends them', () => {
    // Stream transports need Content-Length (§18.3): inv2543 has none, so it stays out of the stream.
    const framed = [...SEEDS.filter((b) => b !== SEMANTIC.inv2543.bytes), Buffer.from('INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: lf-only\nCSeq: 1 INVITE\nContent-Length:\n 6\n\n\r\n\r\nab')];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...framed), { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }), (msgs, cuts) => {
        const stream = Buffer.concat(msgs.flatMap((m) => [Buffer.from('\r\n'), m]));
        const expected = msgs.flatMap((m) => {
          const ids: string[] = [];
          for (let rest = m; rest.length > 0; ) {
            const f = frameStream(rest);
            if (!('message' in f)) break;
            const r = parseMessage(f.message);
            ids.push(r.ok ? r.message.callId : 'error');
            rest = f.rest;
          }
          return ids;
        });
        const got: string[] = [];
        let pending: Buffer = Buffer.alloc(0);
        let pos = 0;
        for (let k = 0; pos < stream.length; k++) {
          const n = cuts[k % cuts.length] ?? 1;
          pending = Buffer.concat([pending, stream.subarray(pos, pos + n)]);
          pos += n;
          for (;;) {
            const f = frameStream(pending);
            if ('error' in f) throw f.error;
            pending = f.rest;
            if (!('message' in f)) break;
            const r = parseMessage(f.message);
            got.push(r.ok ? r.message.callId : 'error');
          }
        }
        expect(got).toEqual(expected);
        expect(got).not.toContain('error');
        expect(pending.length).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a header block far over the limits is refused with too-large / too-many-headers', () => {
    const many = Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${'X-A: 1\r\n'.repeat(300)}\r\n`);
    const r = parseMessage(many);
    expect(r.ok ? '' : r.error.code).toBe('too-many-headers');
    const huge = Buffer.concat([SEEDS[0] ?? Buffer.alloc(0), Buffer.alloc(70000, 0x41)]);
    const h = parseMessage(huge);
    expect(h.ok ? 0 : h.error.status).toBe(513);
    expect('error' in frameStream(Buffer.alloc(70000, 0x41))).toBe(true);
  });
});

describe('a stack under a garbage burst over UDP', () => {
  const open: { stack: SipStack; peer: RawPeer }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      o.peer.close();
      await o.stack.close();
    }
  });

  it('keeps answering OPTIONS and INVITE after 600 malformed datagrams', async () => {
    const stack = new SipStack({ timers: { trying: 0 } });
    const invites: string[] = [];
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      invites.push(req.get('call-id') ?? '');
      res.send(486);
    });
    const bound = await stack.listen({ udp: { port: 0, host: '127.0.0.1' } });
    const port = bound.udp!.port;
    const peer = await RawPeer.open();
    open.push({ stack, peer });
    const burst = fc.sample(fc.oneof(mutated, sipish, fc.uint8Array({ maxLength: 1400 }).map((a) => Buffer.from(a))), { numRuns: 600, seed: 4475 });
    for (const d of burst) await peer.send(port, d);
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.stats.received).toBeGreaterThanOrEqual(500);
    expect(stack.stats.malformedDropped + stack.stats.malformedRejected).toBeGreaterThan(0);
    expect(stack.stats.handlerErrors).toBe(0);
    const before = peer.seen.length;
    await peer.send(port, rawRequest({ method: 'OPTIONS', port, peerPort: peer.port, branch: 'z9hG4bKfuzzopt', callId: 'fuzz-opt' }));
    await peer.send(port, rawRequest({ method: 'INVITE', port, peerPort: peer.port, branch: 'z9hG4bKfuzzinv', callId: 'fuzz-inv' }));
    const after = (s: { text: string }[]) => s.slice(before).map((m) => m.text);
    await peer.waitFor((s) => after(s).some((t) => /^SIP\/2\.0 200 [\s\S]*Call-ID: fuzz-opt/.test(t)) && after(s).some((t) => /^SIP\/2\.0 486 [\s\S]*Call-ID: fuzz-inv/.test(t)));
    expect(invites).toContain('fuzz-inv');
  });

  it('answers the answerable RFC 4475 invalid requests with 400/505 and drops the rest', async () => {
    const { INVALID } = await import('./torture/invalid.js');
    const stack = new SipStack();
    const bound = await stack.listen({ udp: { port: 0, host: '127.0.0.1' } });
    const port = bound.udp!.port;
    const peer = await RawPeer.open();
    open.push({ stack, peer });
    const requests = INVALID.filter((c) => !c.bytes.toString('latin1').startsWith('SIP/'));
    for (const c of requests) {
      // Point the top Via at the peer so the 400 comes back here (RFC 3581 rport).
      const text = c.bytes.toString('latin1');
      const routed = c.answerable ? text.replace(/^Via: SIP\/2\.0\/\w+ [^;\r\n]+/m, `Via: SIP/2.0/UDP 127.0.0.1:${peer.port}`) : text;
      await peer.send(port, Buffer.from(routed, 'latin1'));
    }
    const answerable = requests.filter((c) => c.answerable);
    const seen = await peer.waitFor((s) => s.length >= answerable.length);
    await new Promise((r) => setTimeout(r, 200));
    expect(peer.seen).toHaveLength(answerable.length);
    for (const c of answerable) {
      const reply = seen.find((m) => m.text.includes(`Call-ID: ${c.name}.`));
      expect(reply?.text, c.name).toMatch(c.code === 'bad-version' ? /^SIP\/2\.0 505 / : /^SIP\/2\.0 400 Bad Request \(/);
    }
    expect(stack.stats.malformedRejected).toBe(answerable.length);
    expect(stack.stats.malformedDropped).toBe(requests.length - answerable.length);
  });
});
