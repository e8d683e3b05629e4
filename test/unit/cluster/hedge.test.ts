// Hedged reads (src/core/cluster/hedge.ts): the next host is asked when the last has not answered within the
// delay, or at once when it failed; the first answer wins; slow hosts are named and their work given up.
import type { FailureCode } from '../../../src/core/util/failures';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exhaustedFailure, HedgeExhausted, hedgedRead, type HedgeSpec } from '../../../src/core/cluster/hedge';
import { PcxFailure } from '../../../src/core/util/result';
import { askingPerson } from '../../../src/core/ssh/asking';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const fail = (code: FailureCode, host: string) => new PcxFailure(code, `${host}: ${code}`, undefined, host);

/** run(): per host, after `ms` answer `value` or throw `code`; `hang` never settles until aborted. */
function spec(plan: Record<string, { ms?: number; value?: string; code?: FailureCode; hang?: boolean }>, extra: Partial<HedgeSpec<string>> = {}) {
  const started: string[] = [];
  const aborted: string[] = [];
  const found: string[] = [];
  const s: HedgeSpec<string> = {
    hosts: Object.keys(plan),
    delayMs: 40,
    run: (host, signal) => {
      started.push(host);
      const p = plan[host]!;
      return new Promise<string>((resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted.push(host);
          reject(fail('cancelled', host));
        });
        if (p.hang) return;
        setTimeout(() => (p.code ? reject(fail(p.code, host)) : resolve(p.value ?? host)), p.ms ?? 0);
      });
    },
    stops: (f) => f.code === 'host-key-changed',
    asFailure: (e, host) => (e instanceof PcxFailure ? e : fail('internal-error', host)),
    pending: async (host, ms) => new PcxFailure('not-answering', `${host} slow for ${ms} ms`, undefined, host),
    found: (host, f, running) => found.push(`${host}:${f.code}${running ? ':running' : ''}`),
    ...extra,
  };
  return { s, started, aborted, found };
}

test('a host that does not answer within the delay gets the next one asked; the first answer wins, the slow one is named and given up', async () => {
  const { s, started, aborted, found } = spec({ node1: { hang: true }, node2: { ms: 5, value: 'from node2' } });
  const t0 = Date.now();
  const r = await hedgedRead(s);
  assert.equal(r.value, 'from node2');
  assert.equal(r.host, 'node2');
  assert.ok(Date.now() - t0 < 1000);
  assert.deepEqual(started, ['node1', 'node2']);
  assert.deepEqual(aborted, ['node1']);
  assert.deepEqual(r.skipped.map((f) => `${f.host}:${f.code}`), ['node1:not-answering']);
  assert.deepEqual(found, ['node1:not-answering:running']);
});

test('a host that answers within the delay is the only one asked', async () => {
  const { s, started } = spec({ node1: { ms: 5 }, node2: { ms: 5 } });
  const r = await hedgedRead(s);
  await sleep(80);
  assert.equal(r.host, 'node1');
  assert.deepEqual(started, ['node1']);
  assert.deepEqual(r.skipped, []);
});

test('a host that fails asks the next one at once (not after the delay); the slow first one still wins if it answers first', async () => {
  const { s, started } = spec({ node1: { code: 'unreachable' }, node2: { ms: 5 } }, { delayMs: 10_000 });
  const t0 = Date.now();
  const r = await hedgedRead(s);
  assert.ok(Date.now() - t0 < 1000, 'no wait for the delay after a failure');
  assert.equal(r.host, 'node2');
  assert.deepEqual(started, ['node1', 'node2']);
  assert.deepEqual(r.skipped.map((f) => f.code), ['unreachable']);
  const late = spec({ node1: { ms: 80, value: 'late but first' }, node2: { ms: 400 } });
  const r2 = await hedgedRead(late.s);
  assert.equal(r2.value, 'late but first');
  assert.deepEqual(late.aborted, ['node2']);
});

test('fallbacks come from `more` once the listed hosts are failed or slow, and are announced', async () => {
  const announced: string[] = [];
  const { s, started } = spec({ node1: { hang: true }, node2: { ms: 5 } }, {
    hosts: ['node1'],
    more: async ({ running }) => (running.includes('node1') ? [{ host: 'node2', from: 'remembered' }] : []),
    onFallback: (h, from) => announced.push(`${h} ${from}`),
  });
  const r = await hedgedRead(s);
  assert.equal(r.host, 'node2');
  assert.deepEqual(started, ['node1', 'node2']);
  assert.deepEqual(announced, ['node2 remembered']);
});

test('every host failing ends with all the reasons; a changed host key stops at once', async () => {
  const { s } = spec({ node1: { code: 'unreachable' }, node2: { code: 'pacemaker-down' } });
  const e = await hedgedRead(s).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof HedgeExhausted);
  const f = exhaustedFailure(e, 'c1');
  assert.equal(f.code, 'unreachable');
  assert.match(f.message, /^no node of c1 answered: node1: node1: unreachable; node2: node2: pacemaker-down$/);
  const stop = spec({ node1: { code: 'host-key-changed' }, node2: { ms: 5 } });
  await assert.rejects(hedgedRead(stop.s), (x: unknown) => x instanceof PcxFailure && x.code === 'host-key-changed');
  assert.deepEqual(stop.started, ['node1']);
});

test('delay Infinity (long work: an operation\'s preview): one host at a time, the next only when it failed', async () => {
  const { s, started } = spec({ node1: { ms: 150, value: 'slow but fine' }, node2: { ms: 5 } }, { delayMs: Infinity });
  const r = await hedgedRead(s);
  assert.equal(r.value, 'slow but fine');
  assert.deepEqual(started, ['node1']);
  assert.deepEqual(r.skipped, []);
});

test('while a person is asked (a passphrase, a host key) the next host is not asked; it is a full delay after the answer', async () => {
  let answer!: () => void;
  const question = askingPerson(() => new Promise<void>((r) => (answer = r)));
  const startedAt = new Map<string, number>();
  const { s, started } = spec({ node1: { hang: true }, node2: { ms: 5, value: 'from node2' } }, { delayMs: 200 });
  const run = s.run;
  const read = hedgedRead({ ...s, run: (host, signal) => (startedAt.set(host, Date.now()), run(host, signal)) });
  await sleep(500); // well past the delay
  assert.deepEqual(started, ['node1'], 'no second host (and no second prompt) while the first waits for a person');
  const answeredAt = Date.now();
  answer();
  await question;
  const r = await read;
  assert.equal(r.host, 'node2');
  assert.ok(startedAt.get('node2')! - answeredAt >= 150, `node2 asked ${startedAt.get('node2')! - answeredAt} ms after the answer: a full delay, not at once`);
});
