/** SIPp calls our stack (SIPp is the UAC); ports 15100-15199. */
import { afterEach, describe, expect, it } from 'vitest';
import { SipStack, type Dialog, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { OUR_SDP, runSipp, scenario } from './sipp.js';

let stack: SipStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function start(transport: 'udp' | 'tcp', timers = {}): Promise<{ stack: SipStack; port: number }> {
  stack = new SipStack({ timers });
  const bound = await stack.listen(transport === 'udp' ? { udp: { port: 0, host: '127.0.0.1' } } : { tcp: { port: 0, host: '127.0.0.1' } });
  return { stack, port: bound[transport]!.port };
}

describe.each(['udp', 'tcp'] as const)('SIPp → embedded UAS over %s', (transport) => {
  const base = transport === 'udp' ? 15100 : 15150;

  it('basic call: INVITE/180/200/ACK, BYE from SIPp', async () => {
    const { stack, port } = await start(transport);
    const destroyed: string[] = [];
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      res.send(180);
      stack.createUAS(req, res, { localSdp: OUR_SDP }).then((d: Dialog) => {
        expect(d.remote.sdp).toContain('m=audio');
        d.on('destroy', (e: { reason: string }) => destroyed.push(e.reason));
      }, () => undefined);
    });
    const r = await runSipp({ scenario: scenario('uac-basic'), port: base, remote: `127.0.0.1:${port}`, calls: 3, transport }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(destroyed).toEqual(['remote', 'remote', 'remote']);
    expect(stack.dialogCount).toBe(0);
  });

  it('BYE from our side', async () => {
    const { stack, port } = await start(transport);
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      stack.createUAS(req, res, { localSdp: OUR_SDP }).then((d) => setTimeout(() => void d.destroy(), 100), () => undefined);
    });
    const r = await runSipp({ scenario: scenario('uac-remote-bye'), port: base + 1, remote: `127.0.0.1:${port}`, calls: 2, transport }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });

  it('486 busy', async () => {
    const { stack, port } = await start(transport);
    stack.on('invite', (_req: InboundRequest, res: OutboundResponse) => res.send(486));
    const r = await runSipp({ scenario: scenario('uac-busy'), port: base + 2, remote: `127.0.0.1:${port}`, calls: 2, transport }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
  });

  it('CANCEL before answer: 200 to the CANCEL and 487 to the INVITE', async () => {
    const { stack, port } = await start(transport);
    let cancels = 0;
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      res.send(180);
      req.on('cancel', () => cancels++);
    });
    const r = await runSipp({ scenario: scenario('uac-cancel'), port: base + 3, remote: `127.0.0.1:${port}`, calls: 2, transport }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(cancels).toBe(2);
  });

  it('re-INVITE hold and unhold answered with the mirrored direction', async () => {
    const { stack, port } = await start(transport);
    const modes: string[] = [];
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      stack.createUAS(req, res, { localSdp: OUR_SDP }).then(
        (d) => {
          d.on('modify', (mreq: { body: string }, mres: { send: (s: number, o: object) => void }) => {
            const hold = mreq.body.includes('a=sendonly');
            modes.push(hold ? 'hold' : 'unhold');
            mres.send(200, { body: OUR_SDP + (hold ? 'a=recvonly\r\n' : 'a=sendrecv\r\n') });
          });
        },
        () => undefined,
      );
    });
    const r = await runSipp({ scenario: scenario('uac-reinvite'), port: base + 4, remote: `127.0.0.1:${port}`, calls: 1, transport }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(modes).toEqual(['hold', 'unhold']);
  });
});
