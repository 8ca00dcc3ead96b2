/** Our stack calls a SIPp UAS; ports 15200-15299. */
import { afterEach, describe, expect, it } from 'vitest';
import { SipError, SipStack } from '../../src/engines/embedded/sip/index.js';
import { OUR_SDP, runSipp, scenario, settle } from './sipp.js';

let stack: SipStack | undefined;
const kills: (() => void)[] = [];
afterEach(async () => {
  for (const k of kills.splice(0)) k();
  await stack?.close();
  stack = undefined;
});

async function start(transport: 'udp' | 'tcp'): Promise<SipStack> {
  stack = new SipStack();
  await stack.listen(transport === 'udp' ? { udp: { port: 0, host: '127.0.0.1' } } : { tcp: { port: 0, host: '127.0.0.1' } });
  return stack;
}

function sippUas(name: string, port: number, transport: 'udp' | 'tcp') {
  const run = runSipp({ scenario: scenario(name), port, transport, calls: 1 });
  kills.push(run.kill);
  return run.done;
}

describe.each(['udp', 'tcp'] as const)('embedded UAC → SIPp UAS over %s', (transport) => {
  const base = transport === 'udp' ? 15200 : 15250;
  const target = (port: number) => `sip:service@127.0.0.1:${port}${transport === 'tcp' ? ';transport=tcp' : ''}`;

  it('basic call, BYE from our side', async () => {
    const s = await start(transport);
    const sipp = sippUas('uas-basic', base, transport);
    await settle();
    const provisional: number[] = [];
    const d = await s.createUAC(target(base), { localSdp: OUR_SDP, onProvisional: (r) => provisional.push(r.status) });
    expect(provisional).toContain(180);
    expect(d.remote.sdp).toContain('m=audio');
    expect(d.sip.remoteTag).toMatch(/SIPpTag/);
    await d.destroy();
    const r = await sipp;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });

  it('BYE from SIPp ends our dialog', async () => {
    const s = await start(transport);
    const sipp = sippUas('uas-bye', base + 1, transport);
    await settle();
    const d = await s.createUAC(target(base + 1), { localSdp: OUR_SDP });
    const reason = await new Promise<string>((resolve) => d.on('destroy', (e: { reason: string }) => resolve(e.reason)));
    expect(reason).toBe('remote');
    const r = await sipp;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });

  it('486 busy rejects with SipError 486', async () => {
    const s = await start(transport);
    const sipp = sippUas('uas-busy', base + 2, transport);
    await settle();
    const err = await s.createUAC(target(base + 2), { localSdp: OUR_SDP }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SipError);
    expect((err as SipError).status).toBe(486);
    const r = await sipp;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });

  it('abort before answer sends CANCEL and rejects with 487', async () => {
    const s = await start(transport);
    const sipp = sippUas('uas-cancel', base + 3, transport);
    await settle();
    const ac = new AbortController();
    const err = await s
      .createUAC(target(base + 3), { localSdp: OUR_SDP, signal: ac.signal, onProvisional: (p) => p.status === 180 && ac.abort() })
      .catch((e: unknown) => e);
    expect((err as SipError).status).toBe(487);
    const r = await sipp;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });

  it('answers a 401 digest challenge', async () => {
    const s = await start(transport);
    const sipp = sippUas('uas-auth', base + 4, transport);
    await settle();
    const d = await s.createUAC(target(base + 4), { localSdp: OUR_SDP, auth: { username: 'alice', password: 'secret' } });
    await d.destroy();
    const r = await sipp;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });

  it('puts SIPp on hold and back with re-INVITEs', async () => {
    const s = await start(transport);
    const sipp = sippUas('uas-reinvite', base + 5, transport);
    await settle();
    const d = await s.createUAC(target(base + 5), { localSdp: OUR_SDP });
    const held = await d.modify('hold');
    expect(held).toContain('a=recvonly');
    const resumed = await d.modify('unhold');
    expect(resumed).toContain('a=sendrecv');
    await d.destroy();
    const r = await sipp;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });
});
