/** A throwaway self-signed certificate made with the `openssl` CLI, for the TLS transport tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM contents plus the files they were written to. */
export interface SelfSigned {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** Removes the temp directory. */
  dispose(): void;
}

/** Generates a P-256 key and a one-day certificate, by default for localhost, 127.0.0.1 and ::1. */
export function selfSigned(names: { cn: string; san: string } = { cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1,IP:::1' }): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'callflow-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${names.cn}`,
      '-addext', `subjectAltName=${names.san}`,
    ],
    { stdio: 'ignore', timeout: 20_000 },
  );
  return {
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    certFile,
    keyFile,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
