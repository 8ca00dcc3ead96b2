/**
 * What `callflow serve` puts in Via, Contact and SDP when SIP and RTP bind every interface (the defaults): an
 * address the far end can reach, never loopback while the machine has an external one. The far end is a plain
 * UDP socket that receives our INVITE; nothing is answered.
 */
import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { createEngine } from '../../src/server/compose-engine.js';
import type { TelephonyEngine } from '../../src/server/engine-port.js';

/** The external IPv4 addresses of this machine (the advertised one must be among them when there are any). */
function external(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

let engine: TelephonyEngine | undefined;
let sock: Socket | undefined;
afterEach(async () => {
  sock?.close();
  sock = undefined;
  await engine?.close();
  engine = undefined;
});

describe('advertised addresses on wildcard binds', () => {
  it('Via, Contact and SDP name an external address, and the start-up values say which', async () => {
    const config = await loadConfig({ env: { CALLFLOW_SIP_PORT: '0', CALLFLOW_SIP_TRANSPORTS: 'udp', CALLFLOW_RTP_PORT_MIN: '47100', CALLFLOW_RTP_PORT_MAX: '47199' } });
    expect(config.sip.host).toBe('0.0.0.0');
    expect(config.rtp.host).toBe('0.0.0.0');
    engine = await createEngine(config, pino({ level: 'silent' }));
    const candidates = external();
    const expected = candidates[0] ?? '127.0.0.1';
    expect(engine.sip.advertised).toBe(expected);
    expect(engine.sip.rtpAdvertised).toBe(expected);

    const invites: string[] = [];
    const far = createSocket('udp4');
    sock = far;
    far.on('message', (m) => invites.push(m.toString('utf8')));
    await new Promise<void>((resolve) => far.bind(0, '127.0.0.1', () => resolve()));
    const abort = new AbortController();
    const dialled = engine.calls.dial({ to: `sip:bob@127.0.0.1:${far.address().port}`, timeoutMs: 5000 }, abort.signal).catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (invites.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    abort.abort();
    await dialled;
    const invite = invites[0] ?? '';
    expect(invite).toMatch(/^INVITE sip:bob@127\.0\.0\.1:/);
    expect(invite).toMatch(new RegExp(`^Via: SIP/2\\.0/UDP ${expected.replaceAll('.', '\\.')}:\\d+;`, 'm'));
    expect(invite).toMatch(new RegExp(`^Contact: <sip:[^@]+@${expected.replaceAll('.', '\\.')}:\\d+`, 'm'));
    expect(invite).toMatch(new RegExp(`^c=IN IP4 ${expected.replaceAll('.', '\\.')}\\r?$`, 'm'));
    if (candidates.length > 0) expect(invite).not.toMatch(/^Contact: <sip:[^@]+@127\./m);
  });
});
