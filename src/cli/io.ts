/** Where commands write, injectable so tests can capture output without spawning a process. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Current directory for resolving relative paths. */
  cwd: string;
  /** Whether stdout is a terminal (colours, code frames). */
  isTty: boolean;
}

/** The real process's streams. */
export const processIo: CommandIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  cwd: process.cwd(),
  isTty: Boolean(process.stdout.isTTY),
};
