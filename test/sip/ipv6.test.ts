/**
 * IPv6 transports (RFC 3261 §18, RFC 5118): calls with SIPp over [::1] on UDP and TCP, Via
 * received/rport for IPv6 sources, bracketed IPv6 in Via/Contact, and a dual-stack '::' socket
 * serving IPv4 peers. Ports 17100-17149. Skipped when the machine has no ::1.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SipStack, type Dialog, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { OUR_SDP, runSipp, scenario, settle } from './sipp.js';
import { selfSigned } from './tls-cert.js';

/** True when a UDP socket can bind ::1 (IPv6 loopback configured and not disabled). */
async function hasIpv6Loopback(): Promise<boolean> {
  const s = createSocket('udp6');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(0, '::1', () => resolve());
    });
    return true;
  } catch {
    return false;
  } finally {
    try {
      s.close();
    } catch {
      // Never bound: nothing to close.
    }
  }
}

const NO_V6 = !(await hasIpv6Loopback());
const V6 = ['-i', '::1'];

const stacks: SipStack[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

async function stackOn(transport: 'udp' | 'tcp', host: string): Promise<{ stack: SipStack; port: number; host: string }> {
  const stack = new SipStack();
  stacks.push(stack);
  const bound = await stack.listen({ [transport]: { port: 0, host } });
  const local = bound[transport]!;
  return { stack, port: local.port, host: local.host };
}

/** A UDP socket on ::1 that records datagrams. */
async function udp6Peer(): Promise<{ socket: Socket; port: number; seen: string[]; next: () => Promise<string> }> {
  const socket = createSocket('udp6');
  await new Promise<void>((r) => socket.bind(0, '::1', () => r()));
  cleanups.push(() => socket.close());
  const seen: string[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (m) => {
    seen.push(m.toString());
    wake?.();
  });
  const next = async (): Promise<string> => {
    const until = Date.now() + 3000;
    while (seen.length === 0 && Date.now() < until) await new Promise<void>((r) => ((wake = r), setTimeout(r, 100)));
    const m = seen.shift();
    if (!m) throw new Error('no datagram');
    return m;
  };
  return { socket, port: socket.address().port, seen, next };
}

function options(port: number, via: string): string {
  return [
    `OPTIONS sip:service@[::1]:${port} SIP/2.0`,
    `Via: ${via}`,
    'From: <sip:peer@[2001:db8::9]>;tag=v6peer',
    'To: <sip:service@[::1]>',
    `Call-ID: v6-${Math.random().toString(36).slice(2)}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe.skipIf(NO_V6)('embedded stack over IPv6 (skipped when no socket can bind ::1)', () => {
  it('SIPp calls us over UDP [::1]: Via/Contact bracketed, rport stamped, BYE from SIPp', async () => {
    const { stack, port, host } = await stackOn('udp', '::1');
    expect(host).toBe('[::1]');
    const seen: { via: string; source: string }[] = [];
    const contacts: string[] = [];
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      seen.push({ via: req.get('via') ?? '', source: req.source.address });
      stack.createUAS(req, res, { localSdp: OUR_SDP }).then((d: Dialog) => contacts.push(d.local.contact), () => undefined);
    });
    const r = await runSipp({ scenario: scenario('uac-basic'), port: 17100, remote: `[::1]:${port}`, calls: 2, extra: V6 }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.source).toBe('::1');
    expect(seen[0]!.via).toMatch(/^SIP\/2\.0\/UDP \[::1\]:17100;branch=\S+;rport=17100$/);
    expect(contacts).toEqual([`<sip:callflow@[::1]:${port}>`, `<sip:callflow@[::1]:${port}>`]);
    expect(stack.dialogCount).toBe(0);
  });

  it('we call SIPp over UDP [::1]; our BYE reaches it', async () => {
    const { stack, port } = await stackOn('udp', '::1');
    const sipp = runSipp({ scenario: scenario('uas-basic'), port: 17101, calls: 1, extra: V6 });
    cleanups.push(sipp.kill);
    await settle();
    const d = await stack.createUAC('sip:service@[::1]:17101', { localSdp: OUR_SDP });
    expect(d.local.contact).toBe(`<sip:callflow@[::1]:${port}>`);
    expect(d.remote.sdp).toContain('m=audio');
    await d.destroy();
    const r = await sipp.done;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });

  it('SIPp calls us over TCP [::1] and we hang up', async () => {
    const { stack, port } = await stackOn('tcp', '::1');
    const contacts: string[] = [];
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      stack.createUAS(req, res, { localSdp: OUR_SDP }).then(
        (d) => {
          contacts.push(d.local.contact);
          setTimeout(() => void d.destroy(), 100);
        },
        () => undefined,
      );
    });
    const r = await runSipp({ scenario: scenario('uac-remote-bye'), port: 17102, remote: `[::1]:${port}`, calls: 1, transport: 'tcp', extra: V6 }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(contacts).toEqual([`<sip:callflow@[::1]:${port};transport=tcp>`]);
  });

  it('Via from another IPv6 host: received=::1 and rport set, response to the source port (RFC 3581)', async () => {
    const { port } = await stackOn('udp', '::1');
    const peer = await udp6Peer();
    peer.socket.send(options(port, `SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK-v6a;rport`), port, '::1');
    const res = await peer.next();
    expect(res).toMatch(/^SIP\/2\.0 200 /);
    const via = /^Via: (.*)$/im.exec(res)?.[1] ?? '';
    expect(via).toContain(`received=::1`);
    expect(via).toContain(`rport=${peer.port}`);
  });

  it('without rport the response goes to the source address and the Via port (§18.2.2)', async () => {
    const { port } = await stackOn('udp', '::1');
    const sender = await udp6Peer();
    const viaPort = await udp6Peer();
    sender.socket.send(options(port, `SIP/2.0/UDP [2001:db8::9]:${viaPort.port};branch=z9hG4bK-v6b`), port, '::1');
    const res = await viaPort.next();
    expect(res).toMatch(/^SIP\/2\.0 200 /);
    expect(/^Via: (.*)$/im.exec(res)?.[1]).toContain('received=::1');
    expect(sender.seen).toEqual([]);
  });

  it('a dual-stack "::" UDP socket serves an IPv4 SIPp: plain IPv4 source, and our BYE gets out', async () => {
    const { stack, port } = await stackOn('udp', '::');
    const sources: string[] = [];
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      sources.push(req.source.address);
      stack.createUAS(req, res, { localSdp: OUR_SDP }).then((d) => setTimeout(() => void d.destroy(), 100), () => undefined);
    });
    const r = await runSipp({ scenario: scenario('uac-remote-bye'), port: 17103, remote: `127.0.0.1:${port}`, calls: 1 }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(sources).toEqual(['127.0.0.1']);
  });

  it('TLS between two stacks over [::1]', async () => {
    const pem = selfSigned();
    cleanups.push(() => pem.dispose());
    const tls = async (): Promise<{ stack: SipStack; port: number }> => {
      const stack = new SipStack();
      stacks.push(stack);
      const b = await stack.listen({ tls: { host: '::1', port: 0, cert: pem.cert, key: pem.key, ca: pem.cert } });
      return { stack, port: b.tls!.port };
    };
    const uas = await tls();
    const uac = await tls();
    const vias: string[] = [];
    const dialogs: Promise<Dialog>[] = [];
    uas.stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      vias.push(req.get('via') ?? '');
      dialogs.push(uas.stack.createUAS(req, res, { localSdp: OUR_SDP }));
    });
    const d = await uac.stack.createUAC(`sips:service@[::1]:${uas.port}`, { localSdp: OUR_SDP });
    expect(vias[0]).toMatch(new RegExp(`^SIP/2\\.0/TLS \\[::1\\]:${uac.port};branch=`));
    const theirs = await dialogs[0]!;
    expect(theirs.local.contact).toBe(`<sips:callflow@[::1]:${uas.port};transport=tls>`);
    const ended = new Promise((resolve) => theirs.once('destroy', (e: { reason: string }) => resolve(e.reason)));
    await d.destroy();
    expect(await ended).toBe('remote');
  });
});
