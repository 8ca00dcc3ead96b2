/**
 * SIP over TLS (RFC 3261 §26.2, §18.3 framing). Debian's SIPp is built without OpenSSL
 * ("To use a TLS transport you must compile SIPp with OpenSSL"), so the peers are a second
 * SipStack and a raw Node `tls` client. The certificate is made at test time with `openssl`.
 */
import { createServer, connect as netConnect, type Server } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../../src/engines/embedded/engine.js';
import { SipError, SipStack, type Dialog, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { OUR_SDP } from './sipp.js';
import { selfSigned, type SelfSigned } from './tls-cert.js';
import { TlsPeer, tlsRequest } from './tls-peer.js';

let pem: SelfSigned;
beforeAll(() => {
  pem = selfSigned();
});
afterAll(() => pem.dispose());

const stacks: SipStack[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

/** A stack on TLS that trusts the test certificate (as a trunk's CA) unless `extra` says otherwise. */
async function tlsStack(
  extra: { idleTimeoutMs?: number; handshakeTimeoutMs?: number; verifyPeer?: boolean; ca?: string; cert?: string; key?: string } = {},
): Promise<{ stack: SipStack; port: number }> {
  const stack = new SipStack();
  stacks.push(stack);
  const bound = await stack.listen({ tls: { host: '127.0.0.1', port: 0, cert: pem.cert, key: pem.key, ca: pem.cert, ...extra } });
  return { stack, port: bound.tls!.port };
}

function destroyed(d: Dialog): Promise<string> {
  return new Promise((resolve) => d.once('destroy', (e: { reason: string }) => resolve(e.reason)));
}

/** Answers every INVITE with 180 then 200; exposes what the UAS saw. */
function answerAll(stack: SipStack): { dialogs: Promise<Dialog>[]; seen: { via: string; protocol: string }[] } {
  const out = { dialogs: [] as Promise<Dialog>[], seen: [] as { via: string; protocol: string }[] };
  stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
    out.seen.push({ via: req.get('via') ?? '', protocol: req.source.protocol });
    res.send(180);
    const p = stack.createUAS(req, res, { localSdp: OUR_SDP });
    p.catch(() => undefined);
    out.dialogs.push(p);
  });
  return out;
}

describe('embedded stack over TLS', () => {
  it('UAS: a TLS caller (second stack) gets 180/200, ACK, and its BYE ends our dialog', async () => {
    const uas = await tlsStack();
    const caller = await tlsStack();
    const a = answerAll(uas.stack);
    const provisional: number[] = [];
    const d = await caller.stack.createUAC(`sips:service@127.0.0.1:${uas.port}`, { localSdp: OUR_SDP, onProvisional: (r) => provisional.push(r.status) });
    expect(provisional).toContain(180);
    expect(d.protocol).toBe('tls');
    expect(d.remote.sdp).toContain('m=audio');
    expect(a.seen[0]?.protocol).toBe('tls');
    expect(a.seen[0]?.via).toMatch(new RegExp(`^SIP/2\\.0/TLS 127\\.0\\.0\\.1:${caller.port};branch=z9hG4bK`));
    const ours = await a.dialogs[0]!;
    expect(ours.protocol).toBe('tls');
    expect(ours.local.contact).toBe(`<sips:callflow@127.0.0.1:${uas.port};transport=tls>`);
    const ended = destroyed(ours);
    await d.destroy();
    expect(await ended).toBe('remote');
    expect(uas.stack.dialogCount).toBe(0);
    // INVITE, ACK and BYE all rode the caller's one connection (§18.3 reuse).
    expect(uas.stack.core.transports.streamConnections).toBe(1);
  });

  it('UAC: we call a TLS callee, it hangs up, the BYE reaches us over TLS', async () => {
    const callee = await tlsStack();
    const uac = await tlsStack();
    const a = answerAll(callee.stack);
    const d = await uac.stack.createUAC(`sip:service@127.0.0.1:${callee.port};transport=tls`, { localSdp: OUR_SDP });
    expect(d.local.contact).toBe(`<sips:callflow@127.0.0.1:${uac.port};transport=tls>`);
    const theirs = await a.dialogs[0]!;
    const ended = destroyed(d);
    await theirs.destroy();
    expect(await ended).toBe('remote');
    expect(uac.stack.dialogCount).toBe(0);
  });

  it('raw TLS client: replies come back on its connection, Via gets received/rport, framing across writes', async () => {
    const uas = await tlsStack();
    const a = answerAll(uas.stack);
    const peer = await TlsPeer.open(uas.port);
    cleanups.push(() => peer.close());
    const via = '192.0.2.10:5061';
    // Two requests in one TLS write: Content-Length framing must split them (§18.3).
    peer.write(
      tlsRequest({ method: 'OPTIONS', port: uas.port, via, branch: 'z9hG4bK-opt1', callId: 'tls-raw-1', cseq: 1 }) +
        tlsRequest({ method: 'INVITE', port: uas.port, via, branch: 'z9hG4bK-inv1', callId: 'tls-raw-2', cseq: 1, body: OUR_SDP }),
    );
    await peer.waitFor(() => peer.find(200, 'OPTIONS') !== undefined && peer.find(200, 'INVITE') !== undefined);
    const ok = peer.find(200, 'INVITE')!;
    expect(ok.get('via')).toContain(`received=127.0.0.1`);
    expect(ok.get('via')).toContain(`rport=${peer.localPort}`);
    expect(ok.get('contact')).toBe(`<sips:callflow@127.0.0.1:${uas.port};transport=tls>`);
    expect(peer.find(180, 'INVITE')).toBeDefined();
    const toTag = /tag=([^;>\s]+)/.exec(ok.get('to') ?? '')?.[1];
    expect(toTag).toBeTruthy();
    // The ACK split over two writes.
    const ack = tlsRequest({ method: 'ACK', port: uas.port, via, branch: 'z9hG4bK-ack1', callId: 'tls-raw-2', cseq: 1, toTag });
    peer.write(ack.slice(0, 40));
    await new Promise((r) => setTimeout(r, 50));
    peer.write(ack.slice(40));
    const ours = await a.dialogs[0]!;
    const ended = destroyed(ours);
    peer.write(tlsRequest({ method: 'BYE', port: uas.port, via, branch: 'z9hG4bK-bye1', callId: 'tls-raw-2', cseq: 2, toTag }));
    await peer.waitFor(() => peer.find(200, 'BYE') !== undefined);
    expect(await ended).toBe('remote');
    expect(uas.stack.core.transports.streamConnections).toBe(1);
  });

  it('our BYE to a TLS caller that does not listen at its Contact goes back over its connection', async () => {
    const uas = await tlsStack();
    const a = answerAll(uas.stack);
    const peer = await TlsPeer.open(uas.port);
    cleanups.push(() => peer.close());
    const via = '127.0.0.1:9'; // the discard port: nothing listens for SIP there
    peer.write(tlsRequest({ method: 'INVITE', port: uas.port, via, branch: 'z9hG4bK-inv-reuse', callId: 'tls-reuse', cseq: 1, body: OUR_SDP }));
    await peer.waitFor(() => peer.find(200, 'INVITE') !== undefined);
    const toTag = /tag=([^;>\s]+)/.exec(peer.find(200, 'INVITE')!.get('to') ?? '')?.[1];
    peer.write(tlsRequest({ method: 'ACK', port: uas.port, via, branch: 'z9hG4bK-ack-reuse', callId: 'tls-reuse', cseq: 1, toTag }));
    const ours = await a.dialogs[0]!;
    const bye = ours.destroy();
    await peer.waitFor(() => peer.requests.some((r) => r.startsWith('BYE ')));
    const req = peer.requests.find((r) => r.startsWith('BYE '))!;
    expect(req).toMatch(/^BYE sips?:peer@127\.0\.0\.1:9;transport=tls SIP\/2\.0/);
    const byeVia = /^Via: ([^\r]+)/m.exec(req)![1]!;
    const branch = /branch=([^;\s]+)/.exec(byeVia)![1]!;
    const cseq = /^CSeq: ([^\r]+)/m.exec(req)![1]!;
    peer.write(
      [`SIP/2.0 200 OK`, `Via: ${byeVia}`, `From: <sip:service@127.0.0.1>;tag=${toTag}`, 'To: <sip:peer@example.invalid>;tag=tlspeer', 'Call-ID: tls-reuse', `CSeq: ${cseq}`, 'Content-Length: 0', '', ''].join('\r\n'),
    );
    await bye;
    expect(branch).toMatch(/^z9hG4bK/);
    expect(uas.stack.core.transports.streamConnections).toBe(1);
  });

  it('closes an idle TLS connection after idleTimeoutMs', async () => {
    const uas = await tlsStack({ idleTimeoutMs: 300 });
    const peer = await TlsPeer.open(uas.port);
    cleanups.push(() => peer.close());
    peer.write(tlsRequest({ method: 'OPTIONS', port: uas.port, via: '127.0.0.1:5061', branch: 'z9hG4bK-idle', callId: 'tls-idle', cseq: 1 }));
    await peer.waitFor(() => peer.find(200, 'OPTIONS') !== undefined);
    expect(uas.stack.core.transports.streamConnections).toBe(1);
    await peer.waitFor(() => peer.closed, 5000);
    await new Promise((r) => setTimeout(r, 50));
    expect(uas.stack.core.transports.streamConnections).toBe(0);
  });

  it('bad clients (plain TCP, garbage hello, rejected certificate, silent) are dropped and calls go on', async () => {
    const uas = await tlsStack({ handshakeTimeoutMs: 500 });
    const a = answerAll(uas.stack);
    const closedAfter = (write: Buffer | string | undefined): Promise<void> =>
      new Promise((resolve) => {
        const s = netConnect({ host: '127.0.0.1', port: uas.port }, () => {
          if (write !== undefined) s.write(write);
        });
        s.on('error', () => undefined);
        // Flowing mode, or the server's alert sits unread and the FIN behind it is never seen.
        s.resume();
        s.on('close', () => resolve());
        cleanups.push(() => s.destroy());
      });
    // Plain SIP over TCP to the TLS port.
    await closedAfter('OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n');
    // A TLS record header followed by junk.
    await closedAfter(Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x40]), Buffer.alloc(64, 0xab)]));
    // Connects and says nothing: dropped by the handshake timeout.
    await closedAfter(undefined);
    // A strict client refuses our self-signed certificate.
    const refused = await new Promise<Error>((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port: uas.port, rejectUnauthorized: true }, () => resolve(new Error('unexpectedly trusted')));
      s.on('error', (e: Error) => resolve(e));
      cleanups.push(() => s.destroy());
    });
    expect(String((refused as { code?: string }).code ?? refused.message)).toMatch(/SELF_SIGNED|self.signed/i);
    await new Promise((r) => setTimeout(r, 100));
    expect(uas.stack.core.transports.tlsHandshakeErrors).toBeGreaterThanOrEqual(3);
    // The listener still serves a real call.
    const caller = await tlsStack();
    const d = await caller.stack.createUAC(`sips:service@127.0.0.1:${uas.port}`, { localSdp: OUR_SDP });
    await a.dialogs[0];
    await d.destroy();
    expect(uas.stack.dialogCount).toBe(0);
  });

  it('a TLS call to a peer that does not speak TLS fails with a SipError, not a crash', async () => {
    const plain: Server = createServer((s) => {
      s.on('error', () => undefined);
      s.end('SIP/2.0 400 Nope\r\n\r\n');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => plain.close());
    const port = (plain.address() as { port: number }).port;
    const uac = await tlsStack();
    const err = await uac.stack.createUAC(`sips:service@127.0.0.1:${port}`, { localSdp: OUR_SDP }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SipError);
    expect((err as SipError).status).toBe(503);
  });
});

describe('TLS configuration', () => {
  it('reads cert and key from file paths (as `callflow serve` config gives them)', async () => {
    const engine = createEmbeddedEngine({ sip: { host: '127.0.0.1', transports: ['tls'], tls: { port: 0, cert: pem.certFile, key: pem.keyFile, ca: pem.certFile } } });
    try {
      const bound = await engine.start();
      expect(bound.udp).toBeUndefined();
      expect(bound.tls?.port).toBeGreaterThan(0);
      const peer = await TlsPeer.open(bound.tls!.port);
      cleanups.push(() => peer.close());
      expect(peer.socket.getPeerCertificate().subject?.CN).toBe('localhost');
      peer.write(tlsRequest({ method: 'OPTIONS', port: bound.tls!.port, via: '127.0.0.1:5061', branch: 'z9hG4bK-cfg', callId: 'tls-cfg', cseq: 1 }));
      await peer.waitFor(() => peer.find(200, 'OPTIONS') !== undefined);
    } finally {
      await engine.stop(0);
    }
  });

  it('refuses to listen without a key, with an unreadable file, or with a bad PEM', async () => {
    const s = new SipStack();
    stacks.push(s);
    await expect(s.listen({ tls: { host: '127.0.0.1', port: 0, cert: pem.cert } })).rejects.toThrow(/certificate and a key/);
    await expect(s.listen({ tls: { host: '127.0.0.1', port: 0, cert: '/nonexistent/cert.pem', key: pem.keyFile } })).rejects.toThrow(
      /cannot read TLS certificate from \/nonexistent\/cert\.pem/,
    );
    await expect(s.listen({ tls: { host: '127.0.0.1', port: 0, cert: pem.cert, key: pem.key, ca: 'trunk.pem is not here' } })).rejects.toThrow(
      /cannot read TLS CA certificates from trunk\.pem is not here/,
    );
    await expect(
      s.listen({ tls: { host: '127.0.0.1', port: 0, cert: pem.cert, key: pem.key, ca: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n' } }),
    ).rejects.toThrow(/bad TLS CA certificates: certificate 1 does not parse/);
    await expect(
      s.listen({ tls: { host: '127.0.0.1', port: 0, cert: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n', key: pem.key } }),
    ).rejects.toThrow(/bad TLS certificate or key/);
  });
});
