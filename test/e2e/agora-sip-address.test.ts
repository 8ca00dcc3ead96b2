/**
 * The bundled Agora flow's `inboundsip` URI under `callflow serve` when the deployment sets no `sip_address`:
 * the server fills in the SIP address and port it advertises (never the HTTP Host header nor a fixed 5060).
 * No calls are placed, so the servers need no SIPp ports; the RTP range is one no other e2e file uses.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type ApiAnswer, type TestServer } from './support/server.js';

const FLOWS = fileURLToPath(new URL('../../flows/agora', import.meta.url));
const RTP = { min: 16280, max: 16299 };
const BASIC = `Basic ${Buffer.from('test:secret').toString('base64')}`;
const APPID = 'fs9f52d9dcc1f406b93d97ff1f43c554f';

describe('bundled flow agora-pstn: inboundsip without sip_address', () => {
  let srv: TestServer | undefined;
  afterEach(async () => {
    await srv?.stop();
    srv = undefined;
  });
  const allocate = async (s: TestServer): Promise<ApiAnswer> =>
    s.api(
      'POST',
      '/v1/api/pstn',
      { action: 'inboundsip', appid: APPID, channel: 'c', region: 'AREA_CODE_NA' },
      { authorization: BASIC },
    );

  it("answers the server's advertised SIP host and SIP port (not the HTTP Host, not 5060)", async () => {
    srv = await startServer({ flowsDir: FLOWS, rtp: RTP });
    const res = await allocate(srv);
    expect(res.status).toBe(200);
    expect(srv.sipPort).not.toBe(5060);
    expect(String(res.body.sip)).toMatch(new RegExp(`^sip:lookup_\\d{12}@127\\.0\\.0\\.1:${srv.sipPort}$`));
  });

  it('brackets an IPv6 advertised address', async () => {
    srv = await startServer({ flowsDir: FLOWS, rtp: RTP, config: { sip: { publicAddress: '2001:db8::10' } } });
    const res = await allocate(srv);
    expect(res.status).toBe(200);
    expect(String(res.body.sip)).toMatch(new RegExp(`^sip:lookup_\\d{12}@\\[2001:db8::10\\]:${srv.sipPort}$`));
  });

  it('keeps a sip_address the deployment set', async () => {
    srv = await startServer({ flowsDir: FLOWS, rtp: RTP, config: { flowConfig: { 'agora-pstn': { sip_address: 'sip.example.com:5080' } } } });
    const res = await allocate(srv);
    expect(String(res.body.sip)).toMatch(/^sip:lookup_\d{12}@sip\.example\.com:5080$/);
  });
});
