import { describe, expect, it } from 'vitest';
import { STEPS } from '../catalog/index.js';
import { STEP_RUNNERS } from './index.js';
import { CLEAN, harness, leaksOf } from './test-support.js';

describe('the step runner table', () => {
  it('covers exactly the catalog', () => {
    expect(Object.keys(STEP_RUNNERS).sort()).toEqual(Object.keys(STEPS).sort());
  });
});

describe('store steps', () => {
  it('put / get / incr / delete with their outcomes', async () => {
    const h = await harness({ call: 'none' });
    expect(await h.run('store-get', { key: 'k' })).toEqual({ outcome: 'missing', value: null });
    expect(await h.run('store-put', { key: 'k', value: { a: 1 } })).toEqual({ outcome: 'ok' });
    expect(await h.run('store-put', { key: 'k', value: 2, 'if-absent': true })).toEqual({ outcome: 'exists' });
    expect(await h.run('store-get', { key: 'k' })).toEqual({ outcome: 'found', value: { a: 1 } });
    expect(await h.run('store-incr', { key: 'n', by: 5 })).toEqual({ outcome: 'ok', value: 5 });
    expect(await h.run('store-incr', { key: 'n' })).toEqual({ outcome: 'ok', value: 6 });
    expect(await h.run('store-delete', { key: 'k' })).toEqual({ outcome: 'ok', value: true });
    expect(await h.run('store-delete', { key: 'k' })).toEqual({ outcome: 'ok', value: false });
  });
  it('TTLs run on the simulated clock', async () => {
    const h = await harness({ call: 'none' });
    await h.run('store-put', { key: 't', value: 1, ttl: 1000 });
    await h.engine.clock.advance(999);
    expect((await h.run('store-get', { key: 't' })).outcome).toBe('found');
    await h.engine.clock.advance(1);
    expect((await h.run('store-get', { key: 't' })).outcome).toBe('missing');
  });
});

describe('notify', () => {
  it('ok on 2xx, error on other statuses and failures, never throws', async () => {
    const h = await harness({ call: 'none', script: { http: [{ url: '/ok', status: 204 }, { url: '/no', status: 400, body: { e: 1 } }, { url: '/down', error: 'network' }] } });
    expect(await h.run('notify', { url: 'http://h.test/ok', body: { event: 'x' } })).toEqual({ outcome: 'ok', value: { status: 204, body: '' } });
    expect(await h.run('notify', { url: 'http://h.test/no' })).toEqual({ outcome: 'error', value: { status: 400, body: { e: 1 } } });
    expect((await h.run('notify', { url: 'http://h.test/down' })).outcome).toBe('error');
    expect(h.engine.record.http.filter((r) => r.url.endsWith('/down'))).toHaveLength(3);
    expect((await h.run('notify', { url: 'not a url' })).outcome).toBe('error');
    expect(h.engine.record.http[0]).toMatchObject({ method: 'POST', body: { event: 'x' } });
  });
  it('abort mid-request rethrows and leaves no timer', async () => {
    const h = await harness({ call: 'none', script: { http: [{ url: '/slow', delay: 4000 }] } });
    const p = h.start('notify', { url: 'http://h.test/slow' });
    await h.engine.clock.advance(100);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
  });
});

describe('respond', () => {
  it('sends the response once', async () => {
    const h = await harness({ call: 'none', http: true });
    expect(await h.run('respond', { status: 201, body: { ok: true }, headers: { 'x-a': 'b' } })).toEqual({ outcome: 'sent' });
    expect(h.responses).toEqual([{ status: 201, body: { ok: true }, headers: { 'x-a': 'b' } }]);
    await expect(h.run('respond', { status: 200 })).rejects.toMatchObject({ code: 'already-responded' });
  });
  it('is an error without an HTTP exchange', async () => {
    const h = await harness({ call: 'none' });
    await expect(h.run('respond', {})).rejects.toMatchObject({ code: 'no-http' });
  });
});

describe('log', () => {
  it('adds a trace event', async () => {
    const h = await harness({ call: 'none' });
    expect(await h.run('log', { message: 'hello', level: 'warn' })).toEqual({ outcome: 'ok' });
    expect(h.traces).toEqual([{ type: 'log', level: 'warn', message: 'hello' }]);
  });
});

describe('originate', () => {
  it('passes the request to the session starter and maps its outcome', async () => {
    const seen: unknown[] = [];
    const h = await harness({
      call: 'none',
      sessions: {
        originate: (req) => {
          seen.push(req);
          return Promise.resolve(req.to === 'busy' ? { outcome: 'busy', status: 486 } : { outcome: 'answered', callId: 'c-9' });
        },
      },
    });
    expect(await h.run('originate', { to: '+1555', flow: 'agent', params: { a: 1 } })).toEqual({ outcome: 'answered', value: { call_id: 'c-9' } });
    expect(seen[0]).toMatchObject({ to: '+1555', flow: 'agent', params: { a: 1 }, timeoutMs: 60_000, wait: 'answer' });
    expect((await h.run('originate', { to: 'busy' })).outcome).toBe('busy');
  });
  it('a failing starter is `failed`; an abort rethrows', async () => {
    const h = await harness({ call: 'none', sessions: { originate: () => Promise.reject(new Error('no trunk')) } });
    expect((await h.run('originate', { to: 'x' })).outcome).toBe('failed');
    const h2 = await harness({
      call: 'none',
      sessions: { originate: (_req, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))) },
    });
    const p = h2.start('originate', { to: 'x' });
    h2.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
  });
});
