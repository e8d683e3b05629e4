/**
 * The one audited place where an argument vector becomes a POSIX shell command line.
 *
 * Every remote command goes through an SSH exec channel, and sshd hands the string to the
 * login shell. So anything from a cluster, a file or a user must be quoted here and nowhere
 * else. The rule is the simplest one that is always correct: wrap each argument in single
 * quotes, and write an embedded single quote as '\'' (close, escaped quote, reopen). Inside
 * single quotes a POSIX shell interprets nothing, not even backslashes or newlines.
 */

/**
 * A command line that came out of quoteArgv and nothing else. It is the only string type an SSH exec channel
 * accepts (SshConnection.exec, the runner's executor), so the compiler refuses a hand-built command line.
 */
export type QuotedCommandLine = string & { readonly __quotedBy: 'quoteArgv' };

/** Characters that never need quoting; kept small on purpose so the output stays readable. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for a POSIX shell. NUL cannot be passed through a command line at all. */
export function quoteArg(arg: string): string {
  if (arg.includes('\0')) {
    throw new Error('an argument contains a NUL byte, which no shell command line can carry');
  }
  if (arg.length > 0 && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Quote a whole argument vector; argv[0] is the program. */
export function quoteArgv(argv: readonly string[]): QuotedCommandLine {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(quoteArg).join(' ') as QuotedCommandLine;
}

/**
 * `prefix` (an argv, quoted here) in front of an already quoted command line: `timeout -k 2 20 <line>`. Two
 * quoted argvs joined by a space are one quoted argv, so the result is a QuotedCommandLine too.
 */
export function prefixCommandLine(prefix: readonly string[], line: QuotedCommandLine): QuotedCommandLine {
  return `${quoteArgv(prefix)} ${line}` as QuotedCommandLine;
}
