/**
 * The `callflow` command line. Each subcommand lives in commands/<name>.ts and is loaded only when used,
 * so `callflow check` does not pay for the SIP and media engines.
 */
import type { CommandIo } from './io.js';
import { processIo } from './io.js';

/** A subcommand module's shape: parse its own arguments, return the exit code. */
export interface CommandModule {
  summary: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  check: () => import('./commands/check.js'),
  compile: () => import('./commands/compile.js'),
  fmt: () => import('./commands/fmt.js'),
  graph: () => import('./commands/graph.js'),
  simulate: () => import('./commands/simulate.js'),
  test: () => import('./commands/test.js'),
  serve: () => import('./commands/serve.js'),
};

function usage(io: CommandIo): void {
  io.out(
    [
      'usage: callflow <command> [options]',
      '',
      'commands:',
      '  check <files|dirs>          check flows; exit 1 on errors (--format json)',
      '  compile <file>              print the compiled IR as JSON',
      '  fmt [--write|--check] [--to yaml|flow] <files>   format or convert flows',
      '  graph <file> --format mermaid|dot|svg    draw the state machine',
      '  simulate <flow> [--from --to --digits --script]   run a flow headless and print the trace',
      '  test [paths]                run flow tests (*.test.yaml) and print coverage',
      '  serve [--config file]       run the call-flow server',
      '',
      "run 'callflow <command> --help' for a command's options",
    ].join('\n'),
  );
}

/** Entry point used by bin/callflow.js; returns the process exit code. */
export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(io);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`callflow: unknown command '${name}'`);
    usage(io);
    return 2;
  }
  const mod = await load();
  return mod.run(rest, io);
}
