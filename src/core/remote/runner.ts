/**
 * The command runner: an argv array in, {stdout, stderr, code} out. The argv is quoted by quoteArgv (the one
 * audited quoting function) and nothing else ever builds the command line.
 *
 * sudo: `sudo -n -- argv…` — never prompts (-n), and `--` ends sudo's options so an argv[0] starting with '-'
 * cannot become one. sudo's own refusals are recognised here and turned into failures that say which sudoers
 * rule to add; everything else is the command's own business (see commands.ts).
 *
 * Without sudo the command runs as `env PATH=… argv…`: Debian gives non-root SSH sessions a PATH without
 * /usr/sbin, where crm_mon and cibadmin live. (With sudo, sudo's secure_path does that job, and the sudoers
 * rule can name the programs themselves instead of /usr/bin/env.)
 */
import { PcxFailure } from '../util/result';
import type { ExecOptions, ExecResult } from '../ssh/connection';
import type { ExecStream, StreamHandlers } from '../ssh/stream';
import { quoteArgv, type QuotedCommandLine } from '../util/shellQuote';

export interface RunOptions {
  /** Run through `sudo -n --`. */
  readonly sudo?: boolean;
  readonly timeoutMs?: number;
  readonly stdin?: string | Buffer;
}
export type RunResult = ExecResult;

/** Anything that can run a command line on one host: an SshConnection, or a fake in unit tests. */
export interface CommandExecutor {
  readonly host: string;
  exec(commandLine: QuotedCommandLine, options?: ExecOptions): Promise<ExecResult>;
  /** Long-running commands (log follows); executors without it cannot stream. */
  stream?(commandLine: QuotedCommandLine, handlers: StreamHandlers): Promise<ExecStream>;
}

/** The PATH given to commands run without sudo (Debian's and RHEL's sbin directories included). */
export const COMMAND_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Programs pcx runs with sudo to read a cluster, as the sudoers rule must name them. */
export const READ_PROGRAMS = ['/usr/sbin/crm_mon', '/usr/sbin/cibadmin', '/usr/sbin/crm_node', '/usr/sbin/corosync-cmapctl'];

/** The sudoers line that lets `user` run pcx's read commands without a password. */
/**
 * Said beside every short sudoers rule pcx prints: it names programs without arguments, so it is root-equivalent
 * (cibadmin writes the CIB, tail reads any file, journalctl's pager runs a shell — docs/connections.md).
 */
export const ROOT_EQUIVALENT_NOTE = 'This rule allows those programs with any arguments, so it is root-equivalent: fine for an administrator; for a read-only account use the fixed-argument rules in docs/connections.md.';

export function sudoersRule(user: string, programs: readonly string[] = READ_PROGRAMS): string {
  return `${user} ALL=(root) NOPASSWD: ${programs.join(', ')}`;
}

/** The exact command line sent to sshd for an argv. */
export function commandLine(argv: readonly string[], sudo = false): QuotedCommandLine {
  if (argv.length === 0) throw new Error('empty command');
  return sudo ? quoteArgv(['sudo', '-n', '--', ...argv]) : quoteArgv(['env', `PATH=${COMMAND_PATH}`, ...argv]);
}

/** sudo's own refusals, recognised by its messages (sudo 1.8–1.9; the messages are not localised by default). */
export function sudoFailure(result: ExecResult, argv: readonly string[], host: string, user: string): PcxFailure | undefined {
  const err = result.stderr;
  const rule = sudoersRule(user);
  const fix = `Add to sudoers on ${host} (visudo -f /etc/sudoers.d/pcx): ${rule} — ${ROOT_EQUIVALENT_NOTE}`;
  if (/sudo: (a password is required|a terminal is required|no tty present)/.test(err)) {
    return new PcxFailure('sudo-password', `sudo on ${host} wants a password for ${user} to run ${argv[0]}, and pcx never types passwords`, fix, host, { sudo: { user, rule } });
  }
  if (/is not in the sudoers file|is not allowed to execute|may not run sudo/.test(err)) {
    return new PcxFailure('permission-denied', `${user} may not run ${argv[0]} through sudo on ${host}`, fix, host, { sudo: { user, rule } });
  }
  if (result.code === 127 && /sudo: (command )?not found|sudo: No such file/.test(err)) {
    return new PcxFailure('sudo-missing', `sudo is not installed on ${host}`, `Install sudo on ${host}, or connect as a user that may run the cluster tools directly (root, or a member of the haclient group).`, host);
  }
  return undefined;
}

/** A runner bound to one connection: `run(argv, {sudo, timeoutMs, stdin})`. */
export class CommandRunner {
  constructor(
    /** The connection (capabilities are cached per executor). */
    readonly executor: CommandExecutor,
    /** The remote user name (for sudoers hints). */
    readonly user: string,
    /** Default for `sudo` when a call does not say. */
    readonly sudo = false,
    /** Every command of this runner is given up when this aborts (a hedged read whose other node answered). */
    readonly signal?: AbortSignal,
  ) {}

  get host(): string {
    return this.executor.host;
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const sudo = options.sudo ?? this.sudo;
    const result = await this.executor.exec(commandLine(argv, sudo), { timeoutMs: options.timeoutMs, stdin: options.stdin, signal: this.signal });
    if (sudo) {
      const failure = sudoFailure(result, argv, this.host, this.user);
      if (failure) throw failure;
    }
    return result;
  }

  /** Start a long-running argv on its own channel (same quoting and sudo rules as run). */
  async stream(argv: readonly string[], handlers: StreamHandlers, options: { readonly sudo?: boolean } = {}): Promise<ExecStream> {
    if (!this.executor.stream) throw new Error(`the connection to ${this.host} cannot stream commands`);
    return this.executor.stream(commandLine(argv, options.sudo ?? this.sudo), handlers);
  }
}
