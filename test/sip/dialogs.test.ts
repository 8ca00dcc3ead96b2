/** Stack-to-stack dialogs: in-dialog requests, B2BUA, graceful shutdown, TLS. No SIPp. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SipError, SipStack, type Dialog, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { OUR_SDP } from './sipp.js';

const stacks: SipStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

async function make(proto: 'udp' | 'tcp' = 'udp'): Promise<{ stack: SipStack; uri: string }> {
  const stack = new SipStack({ timers: { t1: 100 } });
  stacks.push(stack);
  const bound = await stack.listen({ udp: { port: 0, host: '127.0.0.1' }, tcp: { port: 0, host: '127.0.0.1' } });
  return { stack, uri: `sip:svc@127.0.0.1:${bound[proto]!.port}${proto === 'tcp' ? ';transport=tcp' : ''}` };
}

/** B answers every INVITE; resolves with B's dialog. */
function answerAll(b: SipStack): Promise<Dialog> {
  return new Promise((resolve) => b.on('invite', (req: InboundRequest, res: OutboundResponse) => void b.createUAS(req, res, { localSdp: OUR_SDP }).then(resolve)));
}

describe('in-dialog requests between two stacks', () => {
  it('INFO, OPTIONS, UPDATE, REFER + NOTIFY reach the other side with the right CSeq order', async () => {
    const a = await make();
    const b = await make();
    const bDialogP = answerAll(b.stack);
    const aDialog = await a.stack.createUAC(b.uri, { localSdp: OUR_SDP });
    const bDialog = await bDialogP;
    expect(bDialog.sip.callId).toBe(aDialog.sip.callId);
    expect(bDialog.sip.localTag).toBe(aDialog.sip.remoteTag);

    const infos: string[] = [];
    bDialog.on('info', (req: InboundRequest, res: OutboundResponse) => {
      infos.push(req.body);
      res.send(200);
    });
    const info = await aDialog.request({ method: 'INFO', headers: { 'Content-Type': 'application/dtmf-relay' }, body: 'Signal=5\r\nDuration=160\r\n' });
    expect(info.status).toBe(200);
    expect(infos).toEqual(['Signal=5\r\nDuration=160\r\n']);

    expect((await bDialog.request({ method: 'OPTIONS' })).status).toBe(200);

    const upd = await aDialog.request({ method: 'UPDATE', headers: { 'Content-Type': 'application/sdp' }, body: OUR_SDP.replace('a=rtpmap', 'a=sendonly\r\na=rtpmap') });
    expect(upd.body.toString()).toContain('a=recvonly');

    const notified: string[] = [];
    aDialog.on('notify', (req: InboundRequest, res: OutboundResponse) => {
      notified.push(req.body.trim());
      res.send(200);
    });
    bDialog.on('refer', (req: InboundRequest, res: OutboundResponse) => {
      expect(req.get('refer-to')).toBe('<sip:carol@127.0.0.1>');
      res.send(202);
      void bDialog.request({
        method: 'NOTIFY',
        headers: { Event: 'refer', 'Subscription-State': 'terminated;reason=noresource', 'Content-Type': 'message/sipfrag;version=2.0' },
        body: 'SIP/2.0 200 OK\r\n',
      });
    });
    const refer = await aDialog.request({ method: 'REFER', headers: { 'Refer-To': '<sip:carol@127.0.0.1>' } });
    expect(refer.status).toBe(202);
    await new Promise((r) => setTimeout(r, 100));
    expect(notified).toEqual(['SIP/2.0 200 OK']);

    const ended = new Promise((r) => bDialog.on('destroy', r));
    await aDialog.destroy();
    expect(await ended).toEqual({ reason: 'remote' });
    expect(a.stack.dialogCount + b.stack.dialogCount).toBe(0);
  });

  it('a request into a dialog the far end forgot gets 481 and tears ours down', async () => {
    const a = await make();
    const b = await make();
    const bDialogP = answerAll(b.stack);
    const aDialog = await a.stack.createUAC(b.uri, { localSdp: OUR_SDP });
    (await bDialogP).end('local');
    const err = await aDialog.request({ method: 'INFO' }).catch((e: unknown) => e);
    expect((err as SipError).status).toBe(481);
    expect(aDialog.connected).toBe(false);
  });
});

describe('B2BUA', () => {
  it('relays ringing and the answer, and a BYE on one leg ends the other', async () => {
    const caller = await make('tcp');
    const middle = await make();
    const callee = await make('tcp');
    callee.stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
      res.send(180);
      setTimeout(() => void callee.stack.createUAS(req, res, { localSdp: OUR_SDP.replace('40000', '40002') }), 50);
    });
    const legs = new Promise<{ uas: Dialog; uac: Dialog }>((resolve) =>
      middle.stack.on('invite', (req: InboundRequest, res: OutboundResponse) => void middle.stack.createB2BUA(req, res, callee.uri).then(resolve)),
    );
    const ringing: number[] = [];
    const d = await caller.stack.createUAC(middle.uri, { localSdp: OUR_SDP, onProvisional: (r) => ringing.push(r.status) });
    expect(ringing).toContain(180);
    expect(d.remote.sdp).toContain('40002');
    const { uas, uac } = await legs;
    const uacGone = new Promise((r) => uac.on('destroy', r));
    await d.destroy();
    await uacGone;
    expect(uas.connected).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(callee.stack.dialogCount).toBe(0);
  });

  it('relays a failure of the B leg to the A leg', async () => {
    const caller = await make();
    const middle = await make();
    const callee = await make();
    callee.stack.on('invite', (_req: InboundRequest, res: OutboundResponse) => res.send(486));
    middle.stack.on('invite', (req: InboundRequest, res: OutboundResponse) => void middle.stack.createB2BUA(req, res, callee.uri).catch(() => undefined));
    const err = await caller.stack.createUAC(middle.uri, { localSdp: OUR_SDP }).catch((e: unknown) => e);
    expect((err as SipError).status).toBe(486);
  });
});

describe('graceful shutdown', () => {
  it('refuses new INVITEs with 503 and BYEs remaining dialogs after the grace period', async () => {
    const a = await make();
    const b = await make();
    const bDialogP = answerAll(b.stack);
    const aDialog = await a.stack.createUAC(b.uri, { localSdp: OUR_SDP });
    await bDialogP;
    const ended = new Promise((r) => aDialog.on('destroy', r));
    const closing = b.stack.close({ graceful: true, graceMs: 300 });
    const err = await a.stack.createUAC(b.uri, { localSdp: OUR_SDP }).catch((e: unknown) => e);
    expect((err as SipError).status).toBe(503);
    await closing;
    expect(await ended).toEqual({ reason: 'remote' });
  });
});

describe('TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sip-tls-'));
  let cert: string | undefined;
  let key: string | undefined;
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
  } catch {
    cert = undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  it.skipIf(!cert)('places a call over TLS with a self-signed certificate (skipped when openssl is missing)', async () => {
    const b = new SipStack();
    const a = new SipStack();
    stacks.push(a, b);
    const bound = await b.listen({ tls: { port: 0, host: '127.0.0.1', cert, key } });
    await a.listen({ tls: { port: 0, host: '127.0.0.1', cert, key, ca: cert } });
    const bDialogP = answerAll(b);
    const d = await a.createUAC(`sips:svc@127.0.0.1:${bound.tls!.port}`, { localSdp: OUR_SDP });
    const bd = await bDialogP;
    expect(bd.local.contact).toContain('sips:');
    const ended = new Promise((r) => bd.on('destroy', r));
    await d.destroy();
    expect(await ended).toEqual({ reason: 'remote' });
  });
});
