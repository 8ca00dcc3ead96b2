import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLEAN, harness, leaksOf, objectOfPaths } from './test-support.js';

const URL = 'https://pins.example/check';

describe('lookup over HTTP', () => {
  it('found on 2xx: into gets the body, and the request is recorded and traced', async () => {
    const h = await harness({ script: { http: [{ method: 'POST', url: URL, status: 200, body: { channel: 'room-7' }, delay: 120 }] } });
    const r = await h.run('lookup', { url: URL, method: 'POST', body: { pin: '1234' }, headers: { 'x-key': 'k' } });
    expect(r).toEqual({ outcome: 'found', value: { channel: 'room-7' } });
    expect(h.engine.record.http[0]).toMatchObject({ method: 'POST', url: URL, body: { pin: '1234' }, headers: { 'x-key': 'k' }, status: 200 });
    expect(h.traces.find((t) => t.type === 'http.request')).toMatchObject({ status: 200, durationMs: 120 });
  });

  it('map shapes the result from response', async () => {
    const h = await harness({ script: { http: [{ url: URL, status: 201, body: { data: { ch: 'c9' } } }] } });
    const r = await h.run('lookup', { url: URL }, { map: objectOfPaths({ channel: 'response.body.data.ch', code: 'response.status' }) });
    expect(r).toEqual({ outcome: 'found', value: { channel: 'c9', code: 201 } });
  });

  it('missing on 404, error on other statuses', async () => {
    const h = await harness({ script: { http: [{ url: '/missing', status: 404 }, { url: '/bad', status: 400 }, { url: '/down', status: 503 }] } });
    expect((await h.run('lookup', { url: 'https://a.example/missing' })).outcome).toBe('missing');
    expect((await h.run('lookup', { url: 'https://a.example/bad' })).outcome).toBe('error');
    expect((await h.run('lookup', { url: 'https://a.example/down' })).outcome).toBe('error');
  });

  it('retries 5xx and network errors, then succeeds', async () => {
    const h = await harness({ script: { http: [{ url: URL, sequence: [{ status: 502 }, { error: 'network' }, { status: 200, body: { ok: 1 } }] }] } });
    const r = await h.run('lookup', { url: URL, retries: 2 });
    expect(r.outcome).toBe('found');
    expect(h.engine.record.http.map((x) => x.attempt)).toEqual([1, 2, 3]);
  });

  it('error on timeout (per attempt) and on network failure', async () => {
    const h = await harness({ script: { http: [{ url: '/slow', delay: 9000 }, { url: '/reset', error: 'network' }] } });
    const r = await h.run('lookup', { url: 'http://x.test/slow', timeout: 1000 });
    expect(r.outcome).toBe('error');
    expect(h.engine.clock.monotonic()).toBe(1000);
    expect((await h.run('lookup', { url: 'http://x.test/reset' })).outcome).toBe('error');
    expect(h.traces.filter((t) => t.type === 'http.request').map((t) => t.error)).toEqual(['timeout', 'network']);
  });

  it('an unscripted URL is an error, recorded as unscripted', async () => {
    const h = await harness();
    expect((await h.run('lookup', { url: 'http://nobody.test/' })).outcome).toBe('error');
    expect(h.engine.record.http[0]?.error).toBe('unscripted');
  });

  it('abort mid-request cancels the timer', async () => {
    const h = await harness({ script: { http: [{ url: URL, delay: 3000 }] } });
    const p = h.start('lookup', { url: URL });
    await h.engine.clock.advance(1000);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(h.engine.record.http[0]?.error).toBe('aborted');
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('far-end hangup mid-request aborts it', async () => {
    const h = await harness({ script: { caller: { hangup: { at: 500 } }, http: [{ url: URL, delay: 3000 }] } });
    await expect(h.run('lookup', { url: URL })).rejects.toBeDefined();
    expect(leaksOf(h)).toEqual(CLEAN);
  });
});

describe('lookup in the store and in tables', () => {
  it('store key: found / missing', async () => {
    const h = await harness({ call: 'none' });
    await h.engine.ports.store.put('pin:1234', { channel: 'c1' });
    expect(await h.run('lookup', { key: 'pin:1234' })).toEqual({ outcome: 'found', value: { channel: 'c1' } });
    expect((await h.run('lookup', { key: 'pin:0000' })).outcome).toBe('missing');
  });

  it('CSV and JSON tables beside the flow, matched by where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-table-'));
    writeFileSync(join(dir, 'pins.csv'), 'did,pin,channel\n+15550100,1234,"room, one"\n+15550100,5678,room-two\n');
    writeFileSync(join(dir, 'users.json'), JSON.stringify([{ id: 1, name: 'ann' }, { id: 2, name: 'bob' }]));
    const h = await harness({ call: 'none', flowDir: dir });
    expect(await h.run('lookup', { table: 'pins.csv', where: { did: '+15550100', pin: 5678 } })).toEqual({
      outcome: 'found',
      value: { did: '+15550100', pin: '5678', channel: 'room-two' },
    });
    expect((await h.run('lookup', { table: 'pins.csv', where: { pin: '1234' } })).value).toMatchObject({ channel: 'room, one' });
    expect((await h.run('lookup', { table: 'pins.csv', where: { pin: '9' } })).outcome).toBe('missing');
    expect((await h.run('lookup', { table: 'users.json', where: { id: 2 } })).value).toEqual({ id: 2, name: 'bob' });
    expect((await h.run('lookup', { table: 'nope.csv', where: {} })).outcome).toBe('error');
  });
});
