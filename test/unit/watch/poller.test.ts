import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cibVersionOf } from '../../../src/core/cluster/clusterXml';
import { ClusterPoller, type PollerClock, type UpdateReason } from '../../../src/core/watch/poller';

/** A manual clock: timers fire only when the test advances time. */
class FakeClock implements PollerClock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Advance time, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.t = due.at;
      due.fn();
    }
    this.t = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

interface Harness {
  clock: FakeClock;
  poller: ClusterPoller<string>;
  calls: string[];
  updates: { value: string; host: string; reason: UpdateReason }[];
  errors: { retryInMs: number; hosts: string[] }[];
  version: { v: string };
  down: Set<string>;
  /** Every onHosts call as "host:state" (+ for fallbacks). */
  hostEvents: string[][];
}

function harness(opts: { hosts?: string[]; probeMs?: number; fullRefreshMs?: number; maxBackoffMs?: number; hostRetryMaxMs?: number } = {}): Harness {
  const clock = new FakeClock();
  const calls: string[] = [];
  const updates: Harness['updates'] = [];
  const errors: Harness['errors'] = [];
  const version = { v: '0:5:1' };
  const down = new Set<string>();
  const hostEvents: string[][] = [];
  const poller = new ClusterPoller<string>({
    hostRetryMaxMs: opts.hostRetryMaxMs,
    onHosts: (hosts) => hostEvents.push(hosts.map((x) => `${x.host}:${x.state}${x.fallback ? '+' : ''}`)),
    hosts: opts.hosts ?? ['node1', 'node2'],
    clock,
    probeMs: opts.probeMs ?? 1000,
    fullRefreshMs: opts.fullRefreshMs ?? 15_000,
    maxBackoffMs: opts.maxBackoffMs,
    probe: async (host) => {
      calls.push(`probe ${host}`);
      if (down.has(host)) throw new Error(`${host} unreachable`);
      return version.v;
    },
    fetch: async (host) => {
      calls.push(`fetch ${host}`);
      if (down.has(host)) throw new Error(`${host} unreachable`);
      return { value: `status@${version.v}`, version: version.v };
    },
    onUpdate: (value, info) => updates.push({ value, host: info.host, reason: info.reason }),
    onError: (_e, info) => errors.push({ retryInMs: info.retryInMs, hosts: info.failures.map((f) => f.host) }),
  });
  return { clock, poller, calls, updates, errors, version, down, hostEvents };
}

test('does nothing until visible, then fetches once and probes every interval', async () => {
  const h = harness();
  await h.clock.advance(10_000);
  assert.deepEqual(h.calls, [], 'no command while never shown');
  h.poller.setVisible(true);
  await h.clock.advance(0);
  assert.deepEqual(h.calls, ['fetch node1']);
  assert.equal(h.updates[0]?.reason, 'initial');
  await h.clock.advance(5_000);
  assert.deepEqual(h.calls.slice(1), Array(5).fill('probe node1'));
  assert.equal(h.updates.length, 1, 'unchanged version → no update');
});

test('idle cost: one probe per second plus one full refresh per 15 s', async () => {
  const h = harness();
  h.poller.setVisible(true);
  await h.clock.advance(60_000);
  const probes = h.calls.filter((c) => c.startsWith('probe')).length;
  const fetches = h.calls.filter((c) => c.startsWith('fetch')).length;
  // t=0 initial fetch, then ticks at 1..60 s: every 15th is a periodic fetch instead of a probe.
  assert.equal(fetches, 5);
  assert.equal(probes, 56);
  assert.equal(probes + fetches, 61, 'exactly one round per interval');
  assert.deepEqual(h.updates.map((u) => u.reason), ['initial', 'periodic', 'periodic', 'periodic', 'periodic']);
});

test('a changed CIB version triggers a fetch on the next probe', async () => {
  const h = harness();
  h.poller.setVisible(true);
  await h.clock.advance(2_000);
  h.version.v = '0:5:2';
  await h.clock.advance(1_000);
  assert.deepEqual(h.calls.slice(-2), ['probe node1', 'fetch node1']);
  assert.deepEqual(h.updates.at(-1), { value: 'status@0:5:2', host: 'node1', reason: 'changed' });
  const before = h.calls.length;
  await h.clock.advance(1_000);
  assert.deepEqual(h.calls.slice(before), ['probe node1'], 'back to probing once fetched');
});

test('hidden → no commands at all; visible again → immediate tick', async () => {
  const h = harness();
  h.poller.setVisible(true);
  await h.clock.advance(3_000);
  h.poller.setVisible(false);
  const before = h.calls.length;
  await h.clock.advance(120_000);
  assert.equal(h.calls.length, before, 'nothing while hidden');
  assert.equal(h.clock.pending, 0, 'no timer left armed');
  h.poller.setVisible(true);
  await h.clock.advance(0);
  assert.equal(h.calls.length, before + 1);
  assert.equal(h.calls.at(-1), 'fetch node1', 'last fetch is >15 s old: full refresh');
});

test('a failing host fails over to the next one in the same tick, which is read from (a fetch names it)', async () => {
  const h = harness();
  h.poller.setVisible(true);
  await h.clock.advance(1_000);
  h.down.add('node1');
  await h.clock.advance(1_000);
  assert.deepEqual(h.calls.slice(-2), ['probe node1', 'fetch node2'], 'node2 at once, and fetched: the view must say who answered');
  assert.equal(h.updates.at(-1)?.reason, 'host-changed');
  assert.equal(h.updates.at(-1)?.host, 'node2');
  assert.equal(h.errors.length, 0, 'a working second host is not an error');
  assert.equal(h.poller.currentHost, 'node2');
  const node1 = h.poller.hostStates.find((s) => s.host === 'node1');
  assert.equal(node1?.state, 'failed');
  assert.match(String(node1?.error), /node1 unreachable/);
  assert.deepEqual(h.hostEvents.at(-1), ['node1:failed', 'node2:ok']);
});

test('the failed host is retried in the background with backoff and taken back when it answers', async () => {
  const h = harness({ hostRetryMaxMs: 4_000 });
  h.poller.setVisible(true);
  await h.clock.advance(1_000);
  h.down.add('node1');
  await h.clock.advance(1_000); // t=2s: node1 fails, node2 read
  const mark = h.calls.length;
  await h.clock.advance(12_000);
  const later = h.calls.slice(mark);
  const retries = later.filter((c) => c === 'probe node1').length;
  // backoff 1, 2, 4, 4, … s: 1 + 2 + 4 + 4 = 11 s → 4 retries in 12 s (never more than one per tick)
  assert.ok(retries >= 3 && retries <= 5, `node1 retried with backoff, got ${retries} retries: ${later.join(', ')}`);
  assert.ok(later.filter((c) => c === 'probe node2').length >= 10, 'node2 polled every second meanwhile');
  h.down.delete('node1');
  await h.clock.advance(5_000);
  assert.equal(h.poller.currentHost, 'node1', 'back to node1 without a manual step');
  assert.equal(h.updates.at(-1)?.host, 'node1');
  assert.equal(h.updates.at(-1)?.reason, 'host-changed');
  assert.deepEqual(h.hostEvents.at(-1), ['node1:ok', 'node2:ok']);
});

test('a background retry that hangs never delays the reads from the working host', async () => {
  const clock = new FakeClock();
  const calls: string[] = [];
  const hung = { on: true };
  const poller = new ClusterPoller<string>({
    hosts: ['node1', 'node2'],
    clock,
    probe: async (host) => {
      calls.push(`probe ${host}`);
      if (host === 'node1' && hung.on) {
        await new Promise<void>((r) => clock.setTimeout(r, 5_000));
        throw new Error('node1: did not finish within 5 s');
      }
      return '0:1:1';
    },
    fetch: async (host) => {
      calls.push(`fetch ${host}`);
      if (host === 'node1' && hung.on) {
        await new Promise<void>((r) => clock.setTimeout(r, 5_000));
        throw new Error('node1: did not finish within 5 s');
      }
      return { value: host, version: '0:1:1' };
    },
    onUpdate: () => undefined,
    onError: () => undefined,
  });
  poller.setVisible(true);
  await clock.advance(7_000); // node1 hangs 5 s on the first read, then node2
  assert.equal(poller.currentHost, 'node2');
  const mark = calls.length;
  await clock.advance(10_000);
  assert.ok(calls.slice(mark).filter((c) => c === 'probe node2').length >= 9, `node2 every second: ${calls.slice(mark).join(', ')}`);
  poller.dispose();
});

test('fallbacks added later are checked in the background and used when the configured host fails', async () => {
  const h = harness({ hosts: ['node1'] });
  h.poller.setVisible(true);
  await h.clock.advance(1_000);
  h.poller.addHosts(['node1', 'node2']);
  assert.deepEqual(h.hostEvents.at(-1), ['node1:ok', 'node2:untried+']);
  await h.clock.advance(1_000);
  assert.ok(h.calls.includes('probe node2'), 'the new fallback was checked');
  assert.deepEqual(h.hostEvents.at(-1), ['node1:ok', 'node2:ok+']);
  h.down.add('node1');
  await h.clock.advance(1_000);
  assert.equal(h.updates.at(-1)?.host, 'node2');
});

test('a fallback that cannot be used (say its host key is unknown) is reported, and the known host keeps being read', async () => {
  const h = harness({ hosts: ['node1'] });
  h.down.add('node2');
  h.poller.setVisible(true);
  await h.clock.advance(1_000);
  h.poller.addHosts(['node2']);
  await h.clock.advance(3_000);
  assert.deepEqual(h.hostEvents.at(-1), ['node1:ok', 'node2:failed+']);
  assert.equal(h.updates.at(-1)?.host, 'node1');
  assert.equal(h.errors.length, 0);
});

test('all hosts down → error with exponential backoff, capped; recovery forces a fetch', async () => {
  const h = harness({ maxBackoffMs: 8_000 });
  h.poller.setVisible(true);
  await h.clock.advance(0);
  h.down.add('node1');
  h.down.add('node2');
  await h.clock.advance(1_000 + 1_000 + 2_000 + 4_000 + 8_000 + 8_000);
  assert.deepEqual(h.errors.map((e) => e.retryInMs), [1_000, 2_000, 4_000, 8_000, 8_000, 8_000].slice(0, h.errors.length));
  assert.ok(h.errors.length >= 5, `expected ≥5 failed rounds, got ${h.errors.length}`);
  assert.deepEqual(h.errors[0]!.hosts, ['node1', 'node2']);
  h.down.clear();
  await h.clock.advance(8_000);
  assert.equal(h.updates.at(-1)?.reason, 'recovered');
});

test('manual refresh fetches at once and resets backoff', async () => {
  const h = harness({ maxBackoffMs: 30_000 });
  h.poller.setVisible(true);
  await h.clock.advance(2_000);
  h.poller.refresh();
  await h.clock.advance(0);
  assert.equal(h.calls.at(-1), 'fetch node1');
  assert.equal(h.updates.at(-1)?.reason, 'manual');

  // Every host down for a while: the retry delay has grown to 8 s.
  h.down.add('node1');
  h.down.add('node2');
  await h.clock.advance(1_000 + 1_000 + 2_000 + 4_000);
  assert.deepEqual(h.errors.map((e) => e.retryInMs), [1_000, 2_000, 4_000, 8_000]);
  // Refresh (the Retry action) asks at once and starts the backoff again from its first step …
  h.poller.refresh();
  await h.clock.advance(0);
  assert.equal(h.errors.length, 5, 'the refresh asked at once, not after the 8 s wait');
  assert.equal(h.errors.at(-1)?.retryInMs, 1_000, 'backoff reset to 1 s, not 16 s');
  // … so a cluster that comes back is seen 1 s later.
  h.down.clear();
  await h.clock.advance(1_000);
  assert.equal(h.updates.at(-1)?.reason, 'recovered');
});

test('ticks never overlap even when a command is slow', async () => {
  const clock = new FakeClock();
  let inFlight = 0;
  let maxInFlight = 0;
  const poller = new ClusterPoller<string>({
    hosts: ['a'],
    clock,
    probe: async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((r) => clock.setTimeout(r, 3_000));
      inFlight--;
      return '0:1:1';
    },
    fetch: async () => ({ value: 'x', version: '0:1:1' }),
    onUpdate: () => undefined,
    onError: () => undefined,
  });
  poller.setVisible(true);
  await clock.advance(20_000);
  assert.equal(maxInFlight, 1);
  poller.dispose();
  await clock.advance(20_000);
  assert.equal(clock.pending, 0);
});

test('cibVersionOf reads the triple from the <cib> tag in any attribute order', () => {
  assert.equal(cibVersionOf('<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="17" num_updates="4" admin_epoch="0" cib-last-written="x"/>'), '0:17:4');
  assert.equal(cibVersionOf("<?xml version='1.0'?>\n<cib admin_epoch='1' num_updates='0' epoch='3'>\n<configuration/></cib>"), '1:3:0');
  assert.equal(cibVersionOf('<pacemaker-result/>'), undefined);
  assert.equal(cibVersionOf('Error: could not connect'), undefined);
});

test('disposed while a fetch or a failing probe is in flight: no update, no error, no timer afterwards', async () => {
  const clock = new FakeClock();
  const seen: string[] = [];
  let fail = false;
  const slow = <T>(value: () => T): Promise<T> => new Promise((resolve, reject) => clock.setTimeout(() => { try { resolve(value()); } catch (e) { reject(e); } }, 2_000));
  const make = () => new ClusterPoller<string>({
    hosts: ['a'],
    clock,
    probe: () => slow(() => { if (fail) throw new Error('down'); return '0:1:1'; }),
    fetch: () => slow(() => { if (fail) throw new Error('down'); return { value: 'x', version: '0:1:1' }; }),
    onUpdate: () => seen.push('update'),
    onError: () => seen.push('error'),
  });
  const first = make();
  first.setVisible(true);
  await clock.advance(1_000); // the initial fetch is running
  first.dispose();
  await clock.advance(10_000);
  assert.deepEqual(seen, []);
  assert.equal(clock.pending, 0);

  fail = true;
  const second = make();
  second.setVisible(true);
  await clock.advance(1_000); // the initial fetch is running and will fail
  second.dispose();
  await clock.advance(10_000);
  assert.deepEqual(seen, []);
  assert.equal(clock.pending, 0);
});
