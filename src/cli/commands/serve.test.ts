import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { flagsToConfig } from './serve.js';

describe('callflow serve flags', () => {
  it('turn into a configuration the schema accepts, winning over the environment', async () => {
    const flags = flagsToConfig(
      {
        flows: ['a', '/abs/b'],
        'no-bundled': true,
        'no-watch': true,
        'http-port': '9090',
        'sip-host': '127.0.0.1',
        'sip-port': '5070',
        'rtp-ports': '30000-30100',
        store: 'redis://127.0.0.1:6379',
        'log-level': 'warn',
        'node-id': 'n1',
      },
      '/work',
    );
    const cfg = await loadConfig({
      file: undefined,
      env: { CALLFLOW_HTTP_PORT: '7000', CALLFLOW_SIP_PORT: '5999' },
      flags,
    });
    expect(cfg.flows).toEqual(['/work/a', '/abs/b']);
    expect(cfg).toMatchObject({
      bundledFlows: false,
      watch: false,
      store: 'redis://127.0.0.1:6379',
      nodeId: 'n1',
      log: { level: 'warn' },
    });
    expect(cfg.http.port).toBe(9090);
    expect(cfg.sip).toMatchObject({ host: '127.0.0.1', port: 5070 });
    expect(cfg.rtp).toMatchObject({ portMin: 30000, portMax: 30100 });
  });

  it('reject bad ports and ranges with the flag’s name', () => {
    expect(() => flagsToConfig({ 'http-port': 'eighty' }, '/')).toThrow(/--http-port/);
    expect(() => flagsToConfig({ 'sip-port': '70000' }, '/')).toThrow(/--sip-port/);
    expect(() => flagsToConfig({ 'rtp-ports': '3000' }, '/')).toThrow(/--rtp-ports/);
  });
});
