/**
 * Engine lifecycle with SIPp: digest auth through a trunk, trunk matching of inbound sources, 20 calls over
 * TCP without leaks, shutdown, a failing handler, 480 without a handler. SIP ports 15640-15649, SIPp media
 * 15740-15751, RTP 46800-46899.
 */
import { describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../../src/engines/embedded/index.js';
import { runSipp, scenario as sipScenario, settle } from '../sip/sipp.js';
import {
  portBlock,
  scenario,
  sippCalls,
  sippFixture,
  sleep,
  startEngine,
  testMediaEngine,
} from './support.js';

const sipPort = portBlock(15640, 15649);
const mediaPort = (() => {
  const next = portBlock(0, 2);
  return () => 15740 + 4 * next();
})();

const fx = sippFixture();

describe('embedded engine lifecycle with SIPp', () => {
  it('dials through a trunk and answers its digest challenge with the trunk credentials', async () => {
    const port = sipPort();
    const t = fx.use(
      await startEngine(
        { min: 46800, max: 46899 },
        {
          trunks: {
            carrier: { uri: `sip:127.0.0.1:${port}`, username: 'alice', password: 'secret', default: true },
          },
        },
      ),
    );
    fx.procs.push(
      runSipp({
        scenario: sipScenario('uas-auth'),
        port,
        extra: ['-mi', '127.0.0.1', '-mp', String(mediaPort())],
      }),
    );
    await settle(300);
    const r = await t.engine.calls.dial({ to: '+15550123', timeoutMs: 5000 });
    expect(r.outcome).toBe('answered');
    if (r.outcome !== 'answered') return;
    expect(r.leg.info.toUri).toContain('+15550123@127.0.0.1');
    await r.leg.hangup();
    await fx.ok();
  });

  it('names the trunk an inbound call came from', async () => {
    const t = fx.use(
      await startEngine(
        { min: 46800, max: 46899 },
        { trunks: { local: { uri: 'sip:127.0.0.1', sources: ['127.0.0.0/8'] } } },
      ),
    );
    fx.procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort() }));
    const leg = await t.nextInbound();
    expect(leg.info.trunk).toBe('local');
    await leg.hangup({ status: 486 });
    await fx.ok();
  });

  it('20 calls over TCP, answered and hung up by us, leave no call, dialog or RTP port behind', async () => {
    const t = fx.use(await startEngine({ min: 46800, max: 46899 }, {}, 'tcp'));
    const x = t;
    const ends: string[] = [];
    x.engine.onIncomingCall(async (leg) => {
      await leg.answer();
      await x.engine.media.play(leg, [{ kind: 'silence', ms: 100 }], { bargeIn: false });
      await leg.hangup();
      ends.push((await leg.ended).cause);
    });
    fx.procs.push(
      sippCalls({
        engine: x,
        port: sipPort(),
        mediaPort: mediaPort(),
        calls: 20,
        transport: 'tcp',
        extra: ['-l', '10'],
      }),
    );
    await fx.ok();
    await sleep(200);
    expect(ends).toEqual(Array(20).fill('local-hangup'));
    const s = x.engine.stats();
    expect({
      calls: s.activeCalls,
      dialogs: s.dialogs,
      rtp: s.media.legs,
      ports: s.media.portsInUse,
    }).toEqual({ calls: 0, dialogs: 0, rtp: 0, ports: 0 });
    expect(s.inboundCalls).toBe(20);
  });

  it('stop() hangs up live calls with the shutdown cause, and SIPp gets its BYE', async () => {
    const t = fx.use(await startEngine({ min: 46800, max: 46899 }));
    fx.procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort() }));
    const leg = await t.nextInbound();
    await leg.answer();
    await t.close();
    expect((await leg.ended).cause).toBe('shutdown');
    await fx.ok();
  });
});

describe('embedded engine and a failing handler', () => {
  it('rejects the call with 500 when the handler throws', async () => {
    const t = fx.use(await startEngine({ min: 46800, max: 46899 }));
    const ends: unknown[] = [];
    t.engine.onIncomingCall((leg) => {
      void leg.ended.then((e) => ends.push(e));
      throw new Error('flow crashed');
    });
    fx.procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort() }));
    await fx.ok();
    expect(ends).toEqual([{ cause: 'error', status: 500 }]);
  });
});

describe('embedded engine without a handler', () => {
  it('answers INVITEs with 480 and counts them', async () => {
    const engine = createEmbeddedEngine({
      sip: { host: '127.0.0.1', port: 0, transports: ['udp'] },
      mediaEngine: testMediaEngine({ min: 46880, max: 46899 }),
    });
    const bound = await engine.start();
    fx.cleanups.push(() => void engine.stop(0));
    const remote = `127.0.0.1:${bound.udp?.port ?? 0}`;
    const r = await runSipp({
      scenario: scenario('uac-call'),
      port: sipPort(),
      remote,
      extra: ['-key', 'rtpport', '9', '-mi', '127.0.0.1', '-mp', String(mediaPort())],
    }).done;
    // uac-call takes the 480 branch (ACK and end): SIPp succeeding shows the refusal was well-formed.
    expect(r.code, r.errors).toBe(0);
    expect(engine.stats().rejectedNoHandler).toBe(1);
    expect(engine.stats().activeCalls).toBe(0);
  });
});
