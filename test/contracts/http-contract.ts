/**
 * The Http port contract. A suite describes the far end as scripted routes; each implementation provides a
 * harness that makes those routes real (a local node:http server for the fetch client, a script for the
 * simulated engine), so both are held to exactly the same behaviour.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HttpError, type Http } from '../../src/ports/http.js';

/** One scripted answer; `sequence` answers successive requests in turn (the last repeats). */
export interface ScriptedRoute {
  method: string;
  path: string;
  sequence: Array<{ status: number; body?: unknown; delayMs?: number; headers?: Record<string, string> } | 'drop'>;
}

/** What the far end saw. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A harness: an Http that talks to a far end playing `routes`, its base URL, and what it saw. */
export interface HttpHarness {
  http: Http;
  baseUrl: string;
  seen(): SeenRequest[];
  close(): Promise<void>;
}

/** Run the Http contract against harnesses made by `make`. */
export function describeHttpContract(name: string, make: (routes: ScriptedRoute[]) => Promise<HttpHarness>): void {
  describe(`Http contract: ${name}`, () => {
    const open: HttpHarness[] = [];
    const harness = async (routes: ScriptedRoute[]): Promise<HttpHarness> => {
      const h = await make(routes);
      open.push(h);
      return h;
    };
    afterAll(async () => {
      await Promise.all(open.map((h) => h.close()));
    });

    it('sends a JSON body and parses a JSON answer', async () => {
      const h = await harness([{ method: 'POST', path: '/pin', sequence: [{ status: 200, body: { channel: 'c1', uid: 7 } }] }]);
      const res = await h.http.request({ method: 'POST', url: `${h.baseUrl}/pin`, body: { did: '1555', pin: '1234' }, timeoutMs: 2000, retries: 0 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ channel: 'c1', uid: 7 });
      expect(res.attempts).toBe(1);
      const [req] = h.seen();
      expect(req?.method).toBe('POST');
      expect(req?.body).toEqual({ did: '1555', pin: '1234' });
      expect(req?.headers['content-type']).toMatch(/application\/json/);
    });

    it('passes request headers and returns 4xx as responses, not errors', async () => {
      const h = await harness([{ method: 'GET', path: '/missing', sequence: [{ status: 404, body: { error: 'no such pin' } }] }]);
      const res = await h.http.request({ method: 'GET', url: `${h.baseUrl}/missing`, headers: { authorization: 'Bearer t0k' }, timeoutMs: 2000, retries: 2 });
      expect(res.status).toBe(404);
      expect(res.attempts).toBe(1);
      expect(h.seen()[0]?.headers.authorization).toBe('Bearer t0k');
    });

    it('retries 5xx and succeeds when the far end recovers', async () => {
      const h = await harness([{ method: 'GET', path: '/flaky', sequence: [{ status: 503 }, { status: 502 }, { status: 200, body: { ok: true } }] }]);
      const res = await h.http.request({ method: 'GET', url: `${h.baseUrl}/flaky`, timeoutMs: 2000, retries: 2 });
      expect(res.status).toBe(200);
      expect(res.attempts).toBe(3);
      expect(h.seen()).toHaveLength(3);
    });

    it('returns the last 5xx when retries run out', async () => {
      const h = await harness([{ method: 'GET', path: '/down', sequence: [{ status: 500, body: { e: 1 } }] }]);
      const res = await h.http.request({ method: 'GET', url: `${h.baseUrl}/down`, timeoutMs: 2000, retries: 1 });
      expect(res.status).toBe(500);
      expect(res.attempts).toBe(2);
    });

    it('times out a slow answer with HttpError timeout, after retrying', async () => {
      const h = await harness([{ method: 'GET', path: '/slow', sequence: [{ status: 200, delayMs: 1500 }] }]);
      const err = await h.http.request({ method: 'GET', url: `${h.baseUrl}/slow`, timeoutMs: 150, retries: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).code).toBe('timeout');
      expect((err as HttpError).attempts).toBe(2);
    });

    it('reports a dropped connection as a network error', async () => {
      const h = await harness([{ method: 'GET', path: '/drop', sequence: ['drop'] }]);
      const err = await h.http.request({ method: 'GET', url: `${h.baseUrl}/drop`, timeoutMs: 2000, retries: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).code).toBe('network');
    });

    it('aborts when the signal fires', async () => {
      const h = await harness([{ method: 'GET', path: '/hang', sequence: [{ status: 200, delayMs: 3000 }] }]);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      const err = await h.http.request({ method: 'GET', url: `${h.baseUrl}/hang`, timeoutMs: 5000, retries: 3 }, ac.signal).catch((e: unknown) => e);
      expect((err as HttpError).code).toBe('aborted');
      expect(h.seen()).toHaveLength(1);
    });

    it('rejects a malformed URL without sending anything', async () => {
      const h = await harness([]);
      const err = await h.http.request({ method: 'GET', url: 'not a url', timeoutMs: 100, retries: 0 }).catch((e: unknown) => e);
      expect((err as HttpError).code).toBe('bad-url');
    });
  });
}
