/**
 * Where a node's cluster logs are, and how its clock relates to ours — found over the node's SSH connection with a
 * handful of small read-only commands run side by side:
 *
 *   date '+%s.%N %z'                        clock offset (midpoint of the round trip) and UTC offset
 *   journalctl -o json -n 1 -u pacemaker…   does the journal hold the cluster's units (and may we read it)?
 *   head -c 64K /etc/{sysconfig,default}/pacemaker, /etc/corosync/corosync.conf
 *                                           PCMK_logfile and Corosync's logging.logfile
 *   tail -n 0 FILE                          can we open each log file (exactly what following will do)?
 *
 * The journal is preferred where it has entries for the cluster's units; otherwise the files. Whatever could not be
 * used is kept as a problem with its fix (group to join, sudoers rule to add), so "no logs" is never silent.
 */
import { buildModel } from '../corosync/model';
import { parseCorosync } from '../corosync/parser';
import type { CommandRunner } from '../remote/runner';
import { ROOT_EQUIVALENT_NOTE, sudoersRule } from '../remote/runner';
import { PcxFailure, type PcxError } from '../util/result';
import type { NodeClock, NodeLogSources } from './types';

export const DEFAULT_PACEMAKER_LOG = '/var/log/pacemaker/pacemaker.log';
export const PACEMAKER_ENV_FILES = ['/etc/sysconfig/pacemaker', '/etc/default/pacemaker'] as const;
export const COROSYNC_CONF = '/etc/corosync/corosync.conf';
export const JOURNAL_UNITS = ['pacemaker.service', 'corosync.service'] as const;
/** Programs pcx runs with sudo to read logs, as the sudoers rule must name them. */
export const LOG_PROGRAMS = ['/usr/bin/tail', '/usr/bin/journalctl'];

const PROBE_TIMEOUT_MS = 10_000;

/** `date '+%s.%N %z'` output, with the local times just before and after the command → the node's clock. */
export function clockFromDate(stdout: string, sentAt: number, receivedAt: number): NodeClock | undefined {
  const m = /^(\d+)\.(\d+)\s+([+-])(\d{2})(\d{2})\s*$/.exec(stdout.trim());
  if (!m) return undefined;
  const nodeNow = Number(m[1]) * 1000 + Math.floor(Number(`0.${m[2]}`) * 1000);
  const mid = (sentAt + receivedAt) / 2;
  const sign = m[3] === '-' ? -1 : 1;
  const measured = Math.round(nodeNow - mid);
  const uncertainty = Math.round((receivedAt - sentAt) / 2);
  return {
    // An offset within the measurement's own error is indistinguishable from none: correcting it would only add noise.
    offsetMs: Math.abs(measured) <= uncertainty ? 0 : measured,
    uncertaintyMs: uncertainty,
    utcOffsetMinutes: sign * (Number(m[4]) * 60 + Number(m[5])),
    nodeNow,
  };
}

/** PCMK_logfile from a sysconfig/default file (shell-style assignments; the last one wins; comments ignored). */
export function pacemakerLogfileSetting(text: string): string | undefined {
  let value: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?PCMK_logfile\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s#]*))/.exec(line);
    if (m) value = m[1] ?? m[2] ?? m[3] ?? '';
  }
  return value;
}

/** Corosync's log file from corosync.conf: logging.logfile when logging.to_logfile is on; undefined otherwise. */
export function corosyncLogfileSetting(text: string): string | undefined {
  const model = buildModel(parseCorosync(text));
  const toLogfile = model.get('logging', 'to_logfile')?.value;
  const file = model.get('logging', 'logfile')?.value;
  if (!file || !toLogfile || !['yes', 'on', '1', 'true'].includes(toLogfile.toLowerCase())) return undefined;
  return file;
}

/** Why `tail -n 0 FILE` failed, with what to do. */
export function fileProblem(file: string, stderr: string, host: string, user: string, sudo: boolean): PcxError {
  if (/Permission denied/i.test(stderr)) {
    const group = file.startsWith('/var/log/pacemaker') ? 'haclient' : 'adm';
    return {
      code: 'log-permission-denied',
      message: `${user} may not read ${file} on ${host}`,
      hint: sudo
        ? `Allow the log readers in sudoers (visudo -f /etc/sudoers.d/pcx): ${sudoersRule(user, LOG_PROGRAMS)} — ${ROOT_EQUIVALENT_NOTE}`
        : `Add ${user} to the group that owns it (usermod -aG ${group} ${user}, then log in again), or use --sudo with the sudoers rule ${sudoersRule(user, LOG_PROGRAMS)} — ${ROOT_EQUIVALENT_NOTE}`,
      host,
    };
  }
  if (/No such file|cannot open/i.test(stderr) || stderr.trim() === '') {
    return { code: 'log-file-missing', message: `${file} does not exist on ${host}`, hint: 'Is the cluster stack installed and has it run there? Check PCMK_logfile in /etc/default/pacemaker (or /etc/sysconfig/pacemaker) and logging.logfile in corosync.conf.', host };
  }
  return { code: 'log-file-unreadable', message: `cannot read ${file} on ${host}: ${stderr.trim().split('\n')[0]}`, hint: `Run tail -n 1 ${file} on ${host} to see why.`, host };
}

/** What the journal probe said: usable, or why not. */
export function journalVerdict(result: { stdout: string; stderr: string; code: number | null }, host: string, user: string): { usable: boolean; problem?: PcxError } {
  if (result.code === 127) return { usable: false };
  const hasEntry = result.stdout.split('\n').some((l) => l.trim().startsWith('{'));
  if (hasEntry) return { usable: true };
  if (/not seeing messages from other users|Permission denied|No journal files were opened due to insufficient permissions/i.test(result.stderr)) {
    return {
      usable: false,
      problem: { code: 'journal-permission-denied', message: `${user} may not read the system journal on ${host}`, hint: `Add ${user} to the systemd-journal group (usermod -aG systemd-journal ${user}, then log in again), or use --sudo with the sudoers rule ${sudoersRule(user, LOG_PROGRAMS)} — ${ROOT_EQUIVALENT_NOTE}`, host },
    };
  }
  return { usable: false };
}

export interface Detected {
  readonly sources: NodeLogSources;
  readonly clock: NodeClock;
}

async function readSmallFile(runner: CommandRunner, file: string, maxBytes: number): Promise<string | undefined> {
  const r = await runner.run(['head', '-c', String(maxBytes), '--', file], { timeoutMs: PROBE_TIMEOUT_MS, sudo: false });
  return r.code === 0 ? r.stdout : undefined;
}

/** Measure the node's clock (one `date` round trip). */
export async function measureClock(runner: CommandRunner): Promise<NodeClock> {
  const sentAt = Date.now();
  const r = await runner.run(['date', '+%s.%N %z'], { timeoutMs: PROBE_TIMEOUT_MS, sudo: false });
  const clock = clockFromDate(r.stdout, sentAt, Date.now());
  if (!clock) throw new PcxFailure('clock-unreadable', `cannot read the clock of ${runner.host}: date printed ${JSON.stringify(r.stdout.trim().slice(0, 60))}`, 'pcx needs GNU date (coreutils) on the node to line up its log times.', runner.host);
  return clock;
}

export type SourcePreference = 'auto' | 'journal' | 'files';

/** Detect one node's sources and clock. `node` is the label for its lines. */
export async function detectSources(runner: CommandRunner, node: string, prefer: SourcePreference = 'auto'): Promise<Detected> {
  const problems: PcxError[] = [];
  const [clock, journal, envTexts, corosyncText] = await Promise.all([
    measureClock(runner),
    prefer === 'files'
      ? Promise.resolve<{ usable: boolean; problem?: PcxError }>({ usable: false })
      : runner.run(['journalctl', '--no-pager', '--quiet', '-o', 'json', '-n', '1', ...JOURNAL_UNITS.flatMap((u) => ['-u', u])], { timeoutMs: PROBE_TIMEOUT_MS })
          .then((r) => journalVerdict(r, runner.host, runner.user)),
    Promise.all(PACEMAKER_ENV_FILES.map((f) => readSmallFile(runner, f, 65536))),
    readSmallFile(runner, COROSYNC_CONF, 262144),
  ]);
  if (journal.problem) problems.push(journal.problem);
  if (journal.usable) return { clock, sources: { node, kind: 'journal', problems } };
  if (prefer === 'journal') {
    problems.push({ code: 'no-journal', message: `${runner.host} has no journal entries for pacemaker or corosync`, hint: 'Use the log files instead (leave out --source journal).', host: runner.host });
    return { clock, sources: { node, kind: 'none', problems } };
  }

  const setting = envTexts.map((t) => (t === undefined ? undefined : pacemakerLogfileSetting(t))).find((v) => v !== undefined);
  const pacemakerWanted = setting === undefined || setting === '' ? DEFAULT_PACEMAKER_LOG : setting === 'none' || setting === '/dev/null' ? undefined : setting;
  const corosyncWanted = corosyncText === undefined ? undefined : corosyncLogfileSetting(corosyncText);
  if (!pacemakerWanted) problems.push({ code: 'pacemaker-no-logfile', message: `Pacemaker on ${runner.host} writes no log file (PCMK_logfile=${setting})`, hint: 'Set PCMK_logfile in /etc/default/pacemaker (or /etc/sysconfig/pacemaker) and restart Pacemaker, or read the journal.', host: runner.host });
  if (corosyncText !== undefined && !corosyncWanted) problems.push({ code: 'corosync-no-logfile', message: `Corosync on ${runner.host} writes no log file (logging.to_logfile is off in ${COROSYNC_CONF})`, hint: 'Set to_logfile: yes and logfile: /var/log/cluster/corosync.log in the logging section to follow Corosync too.', host: runner.host });

  const check = async (file: string | undefined): Promise<string | undefined> => {
    if (!file) return undefined;
    // The name comes from the node's files (PCMK_logfile, corosync.conf): only an absolute path is read, after `--`.
    if (!file.startsWith('/')) {
      problems.push({ code: 'log-path-relative', message: `the log file named on ${runner.host} is not an absolute path: ${JSON.stringify(file)}`, hint: 'Name the log file by its absolute path (PCMK_logfile in /etc/default/pacemaker, logging.logfile in corosync.conf), or read the journal.', host: runner.host });
      return undefined;
    }
    const r = await runner.run(['tail', '-n', '0', '--', file], { timeoutMs: PROBE_TIMEOUT_MS });
    if (r.code === 0) return file;
    problems.push(fileProblem(file, r.stderr, runner.host, runner.user, runner.sudo));
    return undefined;
  };
  const [pacemakerFile, corosyncFile] = await Promise.all([check(pacemakerWanted), check(corosyncWanted)]);
  const kind = pacemakerFile || corosyncFile ? 'files' : 'none';
  return { clock, sources: { node, kind, ...(pacemakerFile ? { pacemakerFile } : {}), ...(corosyncFile ? { corosyncFile } : {}), problems } };
}

/** The argv that reads (and with follow, keeps reading) one source. `sinceNode` is epoch ms on the NODE's clock. */
export function streamArgv(source: { kind: 'journal' } | { kind: 'file'; file: string }, opts: { lines: number; follow: boolean; sinceNode?: number }): string[] {
  if (source.kind === 'journal') {
    return [
      'journalctl', '--no-pager', '--quiet', '-o', 'json', ...JOURNAL_UNITS.flatMap((u) => ['-u', u]),
      '-n', String(opts.lines),
      ...(opts.sinceNode !== undefined ? [`--since=@${Math.floor(opts.sinceNode / 1000)}`] : []),
      ...(opts.follow ? ['--follow'] : []),
    ];
  }
  return ['tail', '-n', String(opts.lines), ...(opts.follow ? ['-F'] : []), '--', source.file];
}
