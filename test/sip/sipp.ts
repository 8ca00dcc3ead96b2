/** Runs SIPp as a child process for the SIP integration tests (foreground, bounded by -timeout). */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Path of a scenario file under test/sip/scenarios. */
export function scenario(name: string): string {
  return join(HERE, 'scenarios', `${name}.xml`);
}

/** What a SIPp run produced. */
export interface SippResult {
  code: number;
  errors: string;
  stderr: string;
}

/** Options of one SIPp run. */
export interface SippRun {
  scenario: string;
  /** SIPp's own local port (from the test's assigned range). */
  port: number;
  /** Remote host:port; omitted for UAS mode. */
  remote?: string;
  calls?: number;
  transport?: 'udp' | 'tcp';
  extra?: string[];
  timeoutSec?: number;
}

/** Starts SIPp; resolves when it exits. `started` resolves once the process is spawned. */
export function runSipp(o: SippRun): { done: Promise<SippResult>; kill: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const args = [
    '-sf', o.scenario, '-i', '127.0.0.1', '-p', String(o.port), '-m', String(o.calls ?? 1),
    '-t', o.transport === 'tcp' ? 't1' : 'u1', '-timeout', `${o.timeoutSec ?? 20}s`, '-timeout_error',
    '-nostdin', '-trace_err', '-error_file', join(dir, 'err.log'), '-s', 'callflow', '-r', '20',
    ...(o.extra ?? []),
  ];
  if (o.remote) args.push(o.remote);
  const p = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const hard = setTimeout(() => p.kill('SIGKILL'), ((o.timeoutSec ?? 20) + 10) * 1000);
  const done = new Promise<SippResult>((resolve) => {
    p.on('exit', (code) => {
      clearTimeout(hard);
      let errors = '';
      try {
        for (const f of readdirSync(dir)) if (f.endsWith('.log')) errors += readFileSync(join(dir, f), 'utf8');
      } catch {
        // No log files is fine.
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: code ?? -1, errors: errors.slice(-3000), stderr: stderr.slice(-2000) });
    });
  });
  return { done, kill: () => p.kill('SIGKILL') };
}

/** Waits until SIPp (UAS mode) is listening: a short fixed delay is enough on loopback. */
export function settle(ms = 300): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A static SDP for our side. */
export const OUR_SDP =
  'v=0\r\no=callflow 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
