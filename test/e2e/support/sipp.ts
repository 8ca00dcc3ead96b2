/**
 * SIPp for e2e tests: runs a scenario from test/e2e/support/scenarios against a server (UAC) or as a far
 * end the server dials (UAS). Foreground process bounded by -timeout and a hard kill; stderr and SIPp's
 * error log come back for assertions and failure messages.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Path of a scenario under test/e2e/support/scenarios. */
export function e2eScenario(name: string): string {
  return join(HERE, 'scenarios', `${name}.xml`);
}

/** The RFC 4733 pcaps shipped with SIPp (one digit each): `dtmfPcap('1')`, `dtmfPcap('#')`. */
export function dtmfPcap(digit: string): string {
  const name = digit === '#' ? 'pound' : digit === '*' ? 'star' : digit;
  return `/usr/share/sip-tester/dtmf_2833_${name}.pcap`;
}

/** Options of one SIPp run. */
export interface SippOptions {
  scenario: string;
  /** SIPp's SIP port (from your port block). */
  port: number;
  /** SIPp's media port (-mp), needed for pcap play and RTP echo. */
  mediaPort?: number;
  /** host:port of the server (UAC mode); omit for UAS mode. */
  remote?: string;
  /** Request-URI user (-s). */
  service?: string;
  calls?: number;
  transport?: 'udp' | 'tcp';
  /** Scenario variables (-key name value), used as [name] in the XML. */
  keys?: Record<string, string>;
  timeoutSec?: number;
  extra?: string[];
}

/** What a run produced; code 0 means every call succeeded. */
export interface SippResult {
  code: number;
  errors: string;
  stderr: string;
}

/** A started SIPp. */
export interface SippProcess {
  done: Promise<SippResult>;
  kill(): void;
}

/** Start SIPp; `done` resolves when it exits. */
export function runSipp(o: SippOptions): SippProcess {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-e2e-'));
  const args = [
    '-sf',
    o.scenario,
    '-i',
    '127.0.0.1',
    '-p',
    String(o.port),
    '-m',
    String(o.calls ?? 1),
    '-t',
    o.transport === 'tcp' ? 't1' : 'u1',
    '-timeout',
    `${o.timeoutSec ?? 30}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    '-error_file',
    join(dir, 'err.log'),
    '-s',
    o.service ?? 'callflow',
    '-r',
    '10',
    ...(o.mediaPort ? ['-mi', '127.0.0.1', '-mp', String(o.mediaPort)] : []),
    ...Object.entries(o.keys ?? {}).flatMap(([k, v]) => ['-key', k, v]),
    ...(o.extra ?? []),
  ];
  if (o.remote) args.push(o.remote);
  const p = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const hard = setTimeout(() => p.kill('SIGKILL'), ((o.timeoutSec ?? 30) + 10) * 1000);
  const done = new Promise<SippResult>((resolve) => {
    p.on('exit', (code) => {
      clearTimeout(hard);
      let errors = '';
      try {
        for (const f of readdirSync(dir))
          if (f.endsWith('.log')) errors += readFileSync(join(dir, f), 'utf8');
      } catch {
        // No log files is fine.
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: code ?? -1, errors: errors.slice(-3000), stderr: stderr.slice(-2000) });
    });
  });
  return { done, kill: () => p.kill('SIGKILL') };
}

/** SIPp in UAS mode needs a moment to bind before the server dials it. */
export function settle(ms = 300): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
