/**
 * Outbound TLS checks the server (RFC 5922 §7.2): a certificate chain to a trusted CA that names the host we
 * dialled, which a host-name target also sends as SNI (RFC 6066 §3). The certificates are made at test time
 * with `openssl`; the peers are a second SipStack and a raw Node TLS server.
 */
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SipError, SipStack, type Dialog, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { createFramer, createResponse, parseMessage, SipRequest } from '../../src/engines/embedded/sip/message-port.js';
import { StreamTransport } from '../../src/engines/embedded/sip/transport/stream.js';
import { OUR_SDP } from './sipp.js';
import { selfSigned, type SelfSigned } from './tls-cert.js';

let local: SelfSigned;
let other: SelfSigned;
beforeAll(() => {
  local = selfSigned();
  other = selfSigned({ cn: 'other.example', san: 'DNS:other.example' });
});
afterAll(() => {
  local.dispose();
  other.dispose();
});

const stacks: SipStack[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

async function stackOn(pem: SelfSigned, client: { ca?: string; verifyPeer?: boolean } = {}): Promise<{ stack: SipStack; port: number }> {
  const stack = new SipStack();
  stacks.push(stack);
  const bound = await stack.listen({ tls: { host: '127.0.0.1', port: 0, cert: pem.cert, key: pem.key, ...client } });
  return { stack, port: bound.tls!.port };
}

/** Answers every INVITE with 200; counts the INVITEs that arrived. */
function answering(stack: SipStack): { invites: number; dialogs: Array<Promise<Dialog>> } {
  const out = { invites: 0, dialogs: [] as Array<Promise<Dialog>> };
  stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
    out.invites++;
    const d = stack.createUAS(req, res, { localSdp: OUR_SDP });
    d.catch(() => undefined);
    out.dialogs.push(d);
  });
  return out;
}

async function callFails(p: Promise<Dialog>): Promise<SipError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SipError);
  return err as SipError;
}

describe('outbound TLS verifies the server', () => {
  it('by default: a self-signed server we were not told to trust fails the call with a 503 that says why', async () => {
    const callee = await stackOn(local);
    const caller = await stackOn(local, { ca: local.cert });
    const callee2 = answering(callee.stack);
    const bare = new SipStack();
    stacks.push(bare);
    await bare.listen({ tls: { host: '127.0.0.1', port: 0, cert: local.cert, key: local.key } });
    const err = await callFails(bare.createUAC(`sips:svc@127.0.0.1:${callee.port}`, { localSdp: OUR_SDP }));
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/self[- ]signed certificate/i);
    expect(callee2.invites).toBe(0);
    // The same callee is fine for a caller that trusts its certificate.
    const d = await caller.stack.createUAC(`sips:svc@127.0.0.1:${callee.port}`, { localSdp: OUR_SDP });
    expect(callee2.invites).toBe(1);
    await d.destroy();
  });

  it('a trusted certificate that names another host fails the call', async () => {
    const callee = await stackOn(other);
    const caller = await stackOn(local, { ca: other.cert });
    const seen = answering(callee.stack);
    const err = await callFails(caller.stack.createUAC(`sips:svc@127.0.0.1:${callee.port}`, { localSdp: OUR_SDP }));
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
    expect(seen.invites).toBe(0);
  });

  it('verify off (a lab setting) accepts any certificate', async () => {
    const callee = await stackOn(other);
    const caller = await stackOn(local, { verifyPeer: false });
    const seen = answering(callee.stack);
    const d = await caller.stack.createUAC(`sips:svc@127.0.0.1:${callee.port}`, { localSdp: OUR_SDP });
    expect(seen.invites).toBe(1);
    await d.destroy();
  });

  it('a host-name target is sent as SNI, and the certificate is checked against that name', async () => {
    const names: Array<string | false | null> = [];
    // A bare TLS server that records the SNI and turns every INVITE down with 486: a 486 means the handshake,
    // and so the certificate check, passed.
    const server = createTlsServer({ cert: local.cert, key: local.key }, (s: TLSSocket) => {
      names.push(s.servername);
      s.on('error', () => undefined);
      const framer = createFramer(
        (msg) => {
          const p = parseMessage(msg);
          if (p.ok && p.message instanceof SipRequest && p.message.method === 'INVITE') s.write(createResponse(p.message, 486).toBuffer());
        },
        () => s.destroy(),
      );
      s.on('data', (b: Buffer) => framer.push(b));
    });
    // No host: the server takes both families, since localhost may resolve to ::1 first.
    await new Promise<void>((resolve) => server.listen(0, () => resolve()));
    cleanups.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const caller = await stackOn(local, { ca: local.cert });
    expect((await callFails(caller.stack.createUAC(`sips:svc@localhost:${port}`, { localSdp: OUR_SDP }))).status).toBe(486);
    expect(names).toEqual(['localhost']);
    // An address target sends no SNI (names only, RFC 6066 §3); its certificate must list the address. The
    // connection made for the name is not reused for the address, even when localhost is 127.0.0.1.
    expect((await callFails(caller.stack.createUAC(`sips:svc@127.0.0.1:${port}`, { localSdp: OUR_SDP }))).status).toBe(486);
    expect(names).toEqual(['localhost', false]);
  });

  it('a connection checked for one name is not reused for another name at the same address', async () => {
    // A raw TLS server on 127.0.0.1 with a certificate for localhost: it counts TCP connections, and records
    // the SNI of each completed handshake and every message that reaches it.
    const names: Array<string | false | null> = [];
    const got: string[] = [];
    let connections = 0;
    const server = createTlsServer({ cert: local.cert, key: local.key }, (s: TLSSocket) => {
      names.push(s.servername);
      s.on('error', () => undefined);
      s.on('data', (b: Buffer) => got.push(b.toString()));
    });
    server.on('connection', () => connections++);
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const tls = new StreamTransport('tls', () => undefined, createFramer);
    cleanups.push(() => void tls.close());
    await tls.listen({ host: '127.0.0.1', port: 0, cert: local.cert, key: local.key, ca: local.cert });
    const sent = (text: string, name: string): Promise<Error | undefined> =>
      new Promise((resolve) => {
        tls.send(Buffer.from(text), '127.0.0.1', port, undefined, resolve, name);
        // A send that went through reports nothing: wait until the server has the text, or the error.
        const poll = setInterval(() => {
          if (got.join('').includes(text)) {
            clearInterval(poll);
            resolve(undefined);
          }
        }, 10);
        cleanups.push(() => clearInterval(poll));
      });
    expect(await sent('first for localhost', 'localhost')).toBeUndefined();
    // Same address and port, but a name the certificate does not carry: a new connection, whose check fails.
    const err = await sent('then for other.example', 'other.example');
    expect(err?.message).toMatch(/Host: other\.example\. is not in the cert's altnames/);
    expect(got.join('')).not.toContain('other.example');
    // Names are case-insensitive: the first connection serves LOCALHOST too.
    expect(await sent('again for LOCALHOST', 'LOCALHOST')).toBeUndefined();
    expect(connections).toBe(2);
    expect(names).toEqual(['localhost']);
  });
});
