/**
 * Logs of a whole cluster: every node of the target at once, each over its own (pooled) SSH connection. Per node:
 * detect its sources and clock, warn about skew, start one stream per source; lines go through the live merger
 * (following) or are collected and sorted (a bounded read).
 *
 * Following survives trouble: a stream that ends (connection dropped, node rebooted, tail killed) is reported as
 * stopped and restarted with backoff once the node answers again, skipping lines it had already delivered; a file
 * stream that goes quiet while its file keeps growing is treated as stalled and restarted the same way.
 */
import { dateTimeWithZone } from '../util/time';
import { sshTargetFor, type ClusterTarget, type LiveOptions } from '../cluster/live';
import { CommandRunner } from '../remote/runner';
import { SshPool } from '../ssh/pool';
import type { StreamEnd } from '../ssh/stream';
import { PcxFailure } from '../util/result';
import { RecentLines, RESUME_MARGIN_MS, sourceLabel, startSource, type LogStatus, type RunningSource, type SourceSpec } from './follow';
import { LiveMerger, mergeLines } from './merge';
import { detectSources, streamArgv, type SourcePreference } from './sources';
import { otherMembers } from './members';
import { SKEW_WARNING_MS, type LogLine, type NodeClock, type NodeInfo, type NodeLogSources } from './types';

export interface LogSessionOptions extends LiveOptions {
  readonly target: ClusterTarget;
  readonly follow: boolean;
  /** Local epoch ms: nothing older. */
  readonly since?: number;
  /** How many lines each file tail reads back (the journal: at most this many). Default 5000 with since, else 200. */
  readonly lines?: number;
  readonly prefer?: SourcePreference;
  readonly onLine: (line: LogLine) => void;
  readonly onStatus: (status: LogStatus) => void;
  readonly holdMs?: number;
  /** A quiet file stream is checked for growth this often. Default 30 s. */
  readonly stallCheckMs?: number;
  /** A bounded read that takes longer than this is stopped. Default 60 s. */
  readonly readTimeoutMs?: number;
  /** Read the cluster's other nodes too, found from the hosts given (members.ts). Default true. */
  readonly discover?: boolean;
  /** Hosts already known to belong to the cluster (the explorer's discovered ones). */
  readonly knownHosts?: readonly string[];
  /** Which nodes were read and which not, before the first line is delivered (members.ts describeCoverage). */
  readonly onCoverage?: (nodes: NodeInfo[]) => void;
}

export type { NodeInfo } from './types';

const RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];
/** How far a restarted stream reads back: lines written while it was down, up to this many, are not lost. */
const RESUME_LINES = 5000;

export class LogSession {
  private readonly pool: SshPool;
  private readonly ownPool: boolean;
  private readonly merger?: LiveMerger;
  private readonly batch: LogLine[] = [];
  private readonly running = new Set<RunningSource>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly info = new Map<string, NodeInfo>();
  private stopped = false;

  constructor(private readonly o: LogSessionOptions) {
    this.ownPool = !o.pool;
    this.pool = o.pool ?? new SshPool(o, { attempts: 1 });
    if (o.follow) this.merger = new LiveMerger(o.onLine, { holdMs: o.holdMs });
  }

  get nodes(): NodeInfo[] {
    return [...this.info.values()];
  }

  /**
   * Start every node. Following: resolves once each node is streaming or has failed (its failure reported as a
   * status); run until stop(). A bounded read: resolves when every stream has ended, after the sorted lines were
   * delivered. Throws only when no node at all could be read.
   */
  async run(): Promise<void> {
    if (this.o.target.hosts.length === 0) throw new PcxFailure('no-hosts', `cluster ${this.o.target.name ?? '(unnamed)'} lists no hosts`, 'Add the node hosts to the cluster configuration.');
    // The hosts given start at once; the others as soon as the discovery has named them.
    const listed = Promise.allSettled(this.o.target.hosts.map((h) => this.startNode(h)));
    const extra = this.o.discover === false ? [] : await this.discoverOthers();
    const results = [...(await listed), ...extra];
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const started = results.filter((r) => r.status === 'fulfilled' && r.value.length > 0);
    if (this.merger) {
      await this.backlogsIn();
      if (started.length > 0) this.o.onCoverage?.(this.nodes);
      this.merger.settle();
    }
    if (started.length === 0) {
      this.stop();
      const f = failures.find((e): e is PcxFailure => e instanceof PcxFailure);
      throw f ?? new PcxFailure('no-logs', `no node of ${this.o.target.name ?? 'the cluster'} had a log pcx could read`, 'See the messages above for each node.');
    }
    if (this.o.follow) return;
    const ends = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    await Promise.all(ends);
    this.o.onCoverage?.(this.nodes);
    for (const line of mergeLines(this.batch)) this.o.onLine(line);
    this.stop();
  }

  /** The cluster's nodes beyond the hosts given, started as they are found; a discovery that fails is said. */
  private async discoverOthers(): Promise<PromiseSettledResult<Promise<unknown>[]>[]> {
    const { members, problem } = await otherMembers(this.o.target, { ...this.o, pool: this.pool, readTimeoutMs: undefined }, this.o.knownHosts);
    if (problem) this.status({ node: this.o.target.hosts.join(','), severity: 'warning', code: 'members-unknown', message: problem, hint: 'Name the other nodes too (--host H for each), or read once while a node answers so they are remembered.' });
    return Promise.allSettled(members.filter((m) => !this.info.has(m.host)).map((m) => {
      this.setInfo(m.host, { from: m.from });
      return this.startNode(m.host);
    }));
  }

  /**
   * Following starts with each stream's backlog (tail -n N): wait until every stream has delivered and gone quiet for
   * a moment (or a few seconds passed), so the backlogs of all nodes are merged before anything is shown.
   */
  private async backlogsIn(quietMs = 300, maxMs = 3000): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline && !this.stopped) {
      const now = Date.now();
      if ([...this.running].every((r) => r.readStats().read > 0 && now - r.lastDataAt() >= quietMs)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.running) r.stop();
    this.merger?.close();
    if (this.ownPool) this.pool.closeAll();
  }

  private status(s: LogStatus): void {
    if (!this.stopped) this.o.onStatus(s);
  }

  private setInfo(host: string, patch: Partial<NodeInfo>): void {
    const prev = this.info.get(host) ?? { host, node: host, state: 'connecting' as const };
    this.info.set(host, { ...prev, ...patch });
  }

  private async connect(host: string): Promise<{ runner: CommandRunner; node: string; sources: NodeLogSources; clock: NodeClock }> {
    const connection = await this.pool.get(sshTargetFor(this.o.target, host));
    const runner = new CommandRunner(connection, connection.resolved.user, this.o.target.sudo ?? false);
    const [uname, detected] = await Promise.all([
      runner.run(['uname', '-n'], { timeoutMs: 10_000, sudo: false }),
      detectSources(runner, host, this.o.prefer),
    ]);
    const node = uname.code === 0 && uname.stdout.trim() ? uname.stdout.trim().split('.')[0]! : host;
    return { runner, node, sources: { ...detected.sources, node }, clock: detected.clock };
  }

  /** Connect, detect, start this node's streams. Returns the streams' end promises (bounded reads wait on them). */
  private async startNode(host: string): Promise<Promise<unknown>[]> {
    this.setInfo(host, { state: 'connecting' });
    let c: Awaited<ReturnType<LogSession['connect']>>;
    try {
      c = await this.connect(host);
    } catch (e) {
      const f = e instanceof PcxFailure ? e : new PcxFailure('internal-error', String(e), undefined, host);
      this.setInfo(host, { state: 'failed', problem: f.message });
      this.status({ node: host, severity: 'error', code: f.code, message: `${host}: ${f.message}`, hint: f.hint });
      throw f;
    }
    // Two hosts for one node (an alias and its address): its log is read once.
    if ([...this.info.values()].some((n) => n.host !== host && n.node === c.node && n.state !== 'failed')) {
      this.info.delete(host);
      return [];
    }
    this.setInfo(host, { node: c.node, sources: c.sources, clock: c.clock, state: 'streaming' });
    this.reportSetup(c.node, c.sources, c.clock);
    const ends: Promise<void>[] = [];
    for (const spec of specsOf(c.sources)) {
      const seen = new RecentLines();
      const source = await this.open(c.node, c.runner, spec, c.clock, seen);
      ends.push(this.supervise(host, c.node, spec, source, seen, c.runner));
    }
    return ends;
  }

  private reportSetup(node: string, sources: NodeLogSources, clock: NodeClock): void {
    for (const p of sources.problems) this.status({ node, severity: sources.kind === 'none' ? 'error' : 'warning', code: p.code, message: `${node}: ${p.message}`, hint: p.hint });
    if (sources.kind === 'none' && sources.problems.length === 0) {
      this.status({ node, severity: 'error', code: 'no-logs', message: `${node}: no journal entries and no log files for Pacemaker or Corosync`, hint: 'Check that the cluster stack runs there and where it logs (PCMK_logfile, corosync.conf logging).' });
    }
    if (Math.abs(clock.offsetMs) > SKEW_WARNING_MS) {
      const ahead = clock.offsetMs > 0 ? 'ahead of' : 'behind';
      this.status({
        node, severity: 'warning', code: 'clock-skew',
        message: `${node}'s clock is ${(Math.abs(clock.offsetMs) / 1000).toFixed(1)} s ${ahead} this machine's (±${clock.uncertaintyMs} ms); its log times are corrected here, but the cluster itself sees the skew`,
        hint: `Run NTP (chrony or systemd-timesyncd) on every node; check with: timedatectl or chronyc tracking on ${node}.`,
      });
    }
  }

  /** Open one source's stream (a restart passes the time of the last line it delivered). */
  private async open(node: string, runner: CommandRunner, spec: SourceSpec, clock: NodeClock, seen: RecentLines, resumeAfter?: number): Promise<RunningSource> {
    // A restart reads back enough to cover an outage (the lines it already showed are skipped by `seen` and the
    // time cut); the user's --lines only sized the first backlog.
    const lines = resumeAfter !== undefined ? Math.max(this.lineBudget(), RESUME_LINES) : this.lineBudget();
    const since = resumeAfter ?? this.o.since;
    const argv = streamArgv(spec.file ? { kind: 'file', file: spec.file } : { kind: 'journal' }, {
      lines,
      follow: this.o.follow,
      ...(since !== undefined ? { sinceNode: since + clock.offsetMs - (resumeAfter !== undefined ? RESUME_MARGIN_MS : 0) } : {}),
    });
    const source = await startSource(runner, {
      node, spec, clock, argv, seen,
      ...(this.o.since !== undefined ? { since: this.o.since } : {}),
      ...(resumeAfter !== undefined ? { resume: { after: resumeAfter, lines } } : {}),
      onLine: (line) => (this.merger ? this.merger.add(line) : this.batch.push(line)),
      onStatus: (s) => this.status(s),
    });
    this.running.add(source);
    return source;
  }

  private lineBudget(): number {
    return this.o.lines ?? (this.o.since !== undefined ? 5000 : 200);
  }

  /** Wait for a stream's end; when following, report it and restart it (with backoff) until stop(). */
  private async supervise(host: string, node: string, spec: SourceSpec, first: RunningSource, seen: RecentLines, runner: CommandRunner): Promise<void> {
    const label = sourceLabel(spec);
    let source = first;
    for (let attempt = 0; ; attempt++) {
      const watchdog = this.o.follow && spec.file ? this.watchStall(runner, node, spec.file, source) : undefined;
      const timeoutMs = this.o.readTimeoutMs ?? 60_000;
      const readTimer = this.o.follow ? undefined : this.later(timeoutMs, () => {
        this.status({ node, severity: 'error', code: 'log-stream-stalled', message: `${node}: reading ${label} did not finish within ${Math.round(timeoutMs / 1000)} s; showing what arrived`, hint: `The node or its disk may be overloaded; try fewer --lines, or look at ${node} directly.` });
        source.stop();
      });
      const end = await source.ended;
      this.running.delete(source);
      if (watchdog) clearInterval(watchdog);
      if (readTimer) clearTimeout(readTimer);
      if (!this.o.follow) return this.reportBoundedEnd(host, node, spec, source, end.code, this.lineBudget());
      if (this.stopped || (end.stopped && !source.stalled)) return;
      const resumeAfter = source.lastLineTime() ?? this.o.since ?? Date.now();
      const why = source.stalled ? 'it stalled' : end.failure ? 'the SSH connection dropped' : endedWhy(spec, end);
      this.setInfo(host, { state: 'reconnecting' });
      for (let retry = 0; ; retry++) {
        const delay = RETRY_DELAYS_MS[Math.min(retry, RETRY_DELAYS_MS.length - 1)]!;
        this.status({ node, severity: 'warning', code: 'log-stream-stopped', message: `${node}: ${label} stream stopped (${why}); reconnecting in ${delay / 1000} s`, hint: 'Lines written meanwhile are fetched when it resumes.' });
        await new Promise<void>((r) => this.later(delay, r));
        if (this.stopped) return;
        try {
          const c = await this.connect(host);
          runner = c.runner;
          source = await this.open(node, c.runner, spec, c.clock, seen, resumeAfter);
          this.setInfo(host, { state: 'streaming', clock: c.clock });
          this.status({ node, severity: 'info', code: 'log-stream-resumed', message: `${node}: ${label} stream resumed` });
          break;
        } catch (e) {
          const f = e instanceof PcxFailure ? e : new PcxFailure('internal-error', String(e));
          this.status({ node, severity: 'warning', code: f.code, message: `${node}: still cannot read its logs: ${f.message}`, hint: f.hint });
        }
      }
    }
  }

  /** A bounded read's stream ended: its failure, and what it covered (added to the node's lines and span). */
  private reportBoundedEnd(host: string, node: string, spec: SourceSpec, source: RunningSource, code: number | null, lines: number): void {
    const label = sourceLabel(spec);
    const { read, firstTime } = source.readStats();
    if (code !== 0 && code !== null && read === 0) {
      this.status({ node, severity: 'error', code: 'log-read-failed', message: `${node}: reading ${label} failed (exit ${code})`, hint: 'See the message before this one.' });
    }
    const prev = this.info.get(host);
    const last = source.lastLineTime();
    const min = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
    const max = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
    // A log that does not reach back to --since: the last `lines` lines (journal or file) start later, or a file
    // that was read whole begins later (rotated, or new). Its lines are used for the span they cover.
    let shortBecause = prev?.shortBecause;
    const since = this.o.since;
    if (since !== undefined && firstTime !== undefined && firstTime > since) {
      const at = dateTimeWithZone(firstTime);
      if (read >= lines) shortBecause = `only the last ${lines} lines of ${label} were read; they start at ${at}, after the start of the window (--lines ${lines * 4} reaches further back)`;
      else if (spec.file) shortBecause ??= `${label} begins at ${at}, after the start of the window (older lines may be in a rotated file)`;
    }
    this.setInfo(host, { lines: (prev?.lines ?? 0) + source.delivered(), first: min(prev?.first, firstTime), last: max(prev?.last, last), ...(shortBecause ? { shortBecause } : {}) });
  }

  /** Every stallCheckMs of silence, see whether the file grew; if it grew twice without a byte arriving, restart. */
  private watchStall(runner: CommandRunner, node: string, file: string, source: RunningSource): NodeJS.Timeout {
    const every = this.o.stallCheckMs ?? 30_000;
    let lastSize: number | undefined;
    const timer = setInterval(() => {
      if (Date.now() - source.lastDataAt() < every) {
        lastSize = undefined;
        return;
      }
      void runner.run(['stat', '-L', '-c', '%s', '--', file], { timeoutMs: 10_000 }).then((r) => {
        const size = Number(r.stdout.trim());
        if (r.code !== 0 || !Number.isFinite(size)) return;
        if (lastSize !== undefined && size > lastSize && Date.now() - source.lastDataAt() >= every) {
          source.stalled = true;
          this.status({ node, severity: 'warning', code: 'log-stream-stalled', message: `${node}: ${sourceLabel({ origin: 'pacemaker', file })} grew by ${size - lastSize} bytes but nothing arrived for ${Math.round(every / 1000)} s`, hint: 'pcx restarts the stream.' });
          source.stop();
        }
        lastSize = size;
      }, () => undefined);
    }, every);
    timer.unref?.();
    return timer;
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }
}

/** The remote tail/journalctl ended by itself: killed, or exited. */
function endedWhy(spec: SourceSpec, end: StreamEnd): string {
  const command = spec.file ? 'tail' : 'journalctl';
  if (end.signal) return `${command} on the node was killed (${end.signal.startsWith('SIG') ? end.signal : `SIG${end.signal}`})`;
  return `${command} on the node exited with code ${end.code ?? '?'}`;
}

export function specsOf(sources: NodeLogSources): SourceSpec[] {
  if (sources.kind === 'journal') return [{ origin: 'journal' }];
  const specs: SourceSpec[] = [];
  if (sources.pacemakerFile) specs.push({ origin: 'pacemaker', file: sources.pacemakerFile });
  if (sources.corosyncFile) specs.push({ origin: 'corosync', file: sources.corosyncFile });
  return specs;
}
