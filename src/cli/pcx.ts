/**
 * pcx — the product's core, headless. Each subcommand lives in src/cli/commands/<name>.ts and
 * exports `run(args)`, returning the process exit code.
 */
import { describeError, PcxFailure } from '../core/util/result';
import { operationVerbs } from '../core/operations/surface';
import { installTerminalGuard } from './terminal';

interface Subcommand {
  readonly summary: string;
  readonly load: () => Promise<{ run(args: string[]): Promise<number> }>;
}

/** The verbs that change a cluster: one implementation (commands/operate.ts), names and summaries from the operation table. */
function operationSubcommands(): Record<string, Subcommand> {
  return Object.fromEntries(
    operationVerbs().map(({ verb: name, summary }) => [name, { summary, load: async () => ({ run: async (args: string[]) => (await import('./commands/operate.js')).runVerb(name, args) }) }]),
  );
}

const subcommands: Record<string, Subcommand> = {
  // Entries are added as commands land; see src/cli/commands/.
  status: { summary: 'nodes, resources, roles, VIPs, failures and a health verdict', load: () => import('./commands/status.js') },
  logs: { summary: "every node's Pacemaker and Corosync log merged in time order (--follow)", load: () => import('./commands/logs.js') },
  history: { summary: 'what the cluster did, newest first: failures, transitions, promotions, nodes, fencing', load: () => import('./commands/history.js') },
  lint: { summary: 'check corosync.conf and *.crm files (text, json or sarif output)', load: () => import('./commands/lint.js') },
  render: { summary: 'compile a crm spec file to CIB XML, or a CIB back to crm syntax', load: () => import('./commands/render.js') },
  ...operationSubcommands(),
  bootstrap: { summary: 'build the cluster a folder describes (corosync.conf + *.crm) on nodes over SSH', load: () => import('./commands/bootstrap.js') },
  diff: { summary: 'how the running cluster differs from its folder (corosync.conf + *.crm), by line', load: () => import('./commands/diff.js') },
  apply: { summary: 'change the running cluster to its folder where it differs (one CIB patch, corosync.conf reload)', load: () => import('./commands/apply.js') },
  pull: { summary: "render the running cluster's configuration into its folder's *.crm (backup kept)", load: () => import('./commands/pull.js') },
};

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['usage: pcx <command> [options]', '', 'commands:', ...lines, '', 'pcx <command> --help for its options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  installTerminalGuard();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(`pcx ${version}\n`);
    return 0;
  }
  const sub = subcommands[name];
  if (!sub) {
    process.stderr.write(`pcx: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  return (await sub.load()).run(rest);
}

// Set by esbuild's `define`; `dev` when run from sources (tests run the CLI through tsx).
declare const PCX_VERSION: string | undefined;
const version = typeof PCX_VERSION === 'string' ? PCX_VERSION : 'dev';

/**
 * The reader of our stdout went away (`pcx … | head -1`): nothing more can be said to it, and that is not an error.
 * Whatever is still being written is dropped; a command that runs on (a bounded read) is given a moment to end by
 * itself (a follow ends at once: logs.ts stops its streams on this error), then the process ends with 0.
 */
let readerGone = false;
const pipeClosed = (e: NodeJS.ErrnoException): void => {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  if (readerGone) return;
  readerGone = true;
  process.exitCode = 0;
  setTimeout(() => process.exit(0), 2000).unref();
};
process.stdout.on('error', pipeClosed);
process.stderr.on('error', () => undefined); // a closed stderr leaves nobody to tell

/**
 * End with `code` once everything written to stdout and stderr has been handed to the OS: process.exit() right
 * away would drop what a pipe has not taken yet (a pipe holds 64 KiB; the rest waits in our buffer).
 */
async function finish(code: number): Promise<never> {
  process.exitCode = readerGone ? 0 : code;
  const flushed = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => {
    if (s.destroyed || !s.writable) return resolve();
    s.write('', () => resolve());
  });
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(readerGone ? 0 : code);
}

main(process.argv.slice(2)).then(
  (code) => finish(code),
  (e: unknown) => {
    // Expected failures carry a message and a fix; anything else is a bug, reported without a stack unless asked.
    if (e instanceof PcxFailure) process.stderr.write(`pcx: ${describeError(e)}\n`);
    else process.stderr.write(`pcx: internal error: ${e instanceof Error ? e.message : String(e)}\n  (set PCX_DEBUG=1 for details)\n`);
    if (process.env.PCX_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return finish(2);
  },
);
