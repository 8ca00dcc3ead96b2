/** Runs an example bot (examples/bots/*.ts, run through tsx) as a real child process on an ephemeral port, and reads its log. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running example bot. */
export interface BotProcess {
  port: number;
  url: string;
  /** Every line the bot printed so far. */
  lines: string[];
  /** Resolves with the first line (already printed or future) matching `re`. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Start `examples/bots/<name>.ts` with the given extra arguments. */
export function startBotProcess(name: 'echo-bot' | 'dtmf-bot', args: string[] = []): Promise<BotProcess> {
  const script = fileURLToPath(new URL(`../../examples/bots/${name}.ts`, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buf = '';
  const onData = (d: Buffer): void => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const waitForLine = (re: RegExp, timeoutMs = 5000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = lines.find((l) => re.test(l));
        if (hit === undefined) return false;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`${name}: no line matching ${String(re)}; it printed:\n${lines.join('\n')}`));
      }, timeoutMs);
      if (!check()) listeners.add(check);
    });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(t);
  };

  return waitForLine(/^listening on ws:\/\//).then(
    (line) => {
      const port = Number(/:(\d+)$/.exec(line)?.[1]);
      return { port, url: `ws://127.0.0.1:${port}/stream`, lines, waitForLine, stop };
    },
    async (err: unknown) => {
      await stop();
      throw err;
    },
  );
}
