import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv, loadConfig } from './config.js';

describe('SIP TLS settings', () => {
  it('come from CALLFLOW_SIP_TRANSPORTS and CALLFLOW_SIP_TLS_*', async () => {
    const env = { CALLFLOW_SIP_TRANSPORTS: 'udp, tls', CALLFLOW_SIP_TLS_PORT: '5071', CALLFLOW_SIP_TLS_CERT: '/etc/sip.crt', CALLFLOW_SIP_TLS_KEY: '/etc/sip.key' };
    expect(configFromEnv(env)).toEqual({ sip: { transports: ['udp', 'tls'], tls: { port: 5071, cert: '/etc/sip.crt', key: '/etc/sip.key' } } });
    const cfg = await loadConfig({ file: undefined, env });
    expect(cfg.sip.transports).toEqual(['udp', 'tls']);
    expect(cfg.sip.tls).toEqual({ port: 5071, cert: '/etc/sip.crt', key: '/etc/sip.key' });
    const lab = await loadConfig({ file: undefined, env: { ...env, CALLFLOW_SIP_TLS_VERIFY: 'false', CALLFLOW_SIP_TLS_CA: '/etc/trunk-ca.pem' } });
    expect(lab.sip.tls).toEqual({ port: 5071, cert: '/etc/sip.crt', key: '/etc/sip.key', verify: false, ca: '/etc/trunk-ca.pem' });
  });

  it('resolve relative paths from the config file, and keep inline PEM text as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-config-'));
    const file = join(dir, 'callflow.yaml');
    writeFileSync(file, 'sip:\n  transports: [tls]\n  tls: { cert: certs/a.crt, ca: certs/ca.pem, key: "-----BEGIN PRIVATE KEY-----\\nx\\n-----END PRIVATE KEY-----\\n" }\n');
    const cfg = await loadConfig({ file, env: {} });
    expect(cfg.sip.tls?.cert).toBe(join(dir, 'certs', 'a.crt'));
    expect(cfg.sip.tls?.ca).toBe(join(dir, 'certs', 'ca.pem'));
    expect(cfg.sip.tls?.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuse TLS settings when tls is not among the transports', async () => {
    const env = { CALLFLOW_SIP_TLS_CERT: '/etc/sip.crt', CALLFLOW_SIP_TLS_KEY: '/etc/sip.key' };
    const err = await loadConfig({ env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/does not list tls: add tls to sip\.transports \(CALLFLOW_SIP_TRANSPORTS\)/);
  });
});

describe('RTP connected sending', () => {
  it('is on by default, off with CALLFLOW_RTP_CONNECTED_SEND=false, and a wrong word is refused', async () => {
    expect((await loadConfig({ env: {} })).rtp.connectedSend).toBe(true);
    expect((await loadConfig({ env: { CALLFLOW_RTP_CONNECTED_SEND: 'false' } })).rtp.connectedSend).toBe(false);
    const err = await loadConfig({ env: { CALLFLOW_RTP_CONNECTED_SEND: 'maybe' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/CALLFLOW_RTP_CONNECTED_SEND: expected true or false, got 'maybe'/);
  });
});
