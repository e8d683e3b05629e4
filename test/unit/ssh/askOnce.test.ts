import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostKeyGate, PassphraseGate } from '../../../src/core/ssh/askOnce';
import type { HostKeyDecision, UnknownHostKey } from '../../../src/core/ssh/connection';
import { PcxFailure } from '../../../src/core/util/result';

const key = (host: string, fingerprint = `SHA256:${host}fp`): UnknownHostKey => ({
  host,
  knownHostsName: host,
  keyType: 'ssh-ed25519',
  fingerprint,
  knownHostsFile: '/tmp/known_hosts',
  otherKnownTypes: [],
});

/** A gate whose "modal" answers from a script and counts how often it was shown. */
function gate(answers: HostKeyDecision[]): { gate: HostKeyGate; asked: string[] } {
  const asked: string[] = [];
  const g = new HostKeyGate(async (k) => {
    asked.push(k.host);
    return answers.shift() ?? 'reject';
  });
  g.setConfiguredHosts(['node1']);
  return { gate: g, asked };
}

const refusedWith = (code: string) => (e: unknown) => e instanceof PcxFailure && e.code === code && /Review Host Key/.test(e.hint ?? '');

test('a refused key is remembered: the next connects are refused at once, without asking again', async () => {
  const { gate: g, asked } = gate(['reject']);
  assert.equal(await g.policy(key('node1')), 'reject');
  for (let i = 0; i < 5; i++) await assert.rejects(async () => g.policy(key('node1')), refusedWith('host-key-not-trusted'));
  assert.deepEqual(asked, ['node1'], 'asked once');
  assert.equal(g.hasUntrusted('node1'), true);
});

test('Review Host Key… asks again; trusting there applies on the next connect (Trust Once holds for the window)', async () => {
  const { gate: g, asked } = gate(['reject', 'accept-once']);
  await g.policy(key('node1'));
  assert.equal(await g.review('node1'), true);
  assert.equal(await g.policy(key('node1')), 'accept-once');
  assert.equal(await g.policy(key('node1')), 'accept-once', 'a reconnect is trusted too, without asking');
  assert.deepEqual(asked, ['node1', 'node1']);
  assert.equal(g.hasUntrusted('node1'), false);
});

test('Trust and Save from a review is handed to the next connect (which writes known_hosts) once', async () => {
  const { gate: g } = gate(['reject', 'accept-and-save', 'reject']);
  await g.policy(key('node1'));
  assert.equal(await g.review('node1'), true);
  assert.equal(await g.policy(key('node1')), 'accept-and-save');
  // Saved: were the key still unknown next time (file not writable…), it is a new question, not a silent yes.
  assert.equal(await g.policy(key('node1')), 'reject');
});

test('Trust Once asked while connecting also holds for later reconnects in the window', async () => {
  const { gate: g, asked } = gate(['accept-once']);
  assert.equal(await g.policy(key('node1')), 'accept-once');
  assert.equal(await g.policy(key('node1')), 'accept-once');
  assert.deepEqual(asked, ['node1']);
});

test('a discovered host (not configured) is never asked about in passing: reported, reviewable', async () => {
  const { gate: g, asked } = gate(['accept-once']);
  await assert.rejects(async () => g.policy(key('node2')), refusedWith('host-key-unknown'));
  await assert.rejects(async () => g.policy(key('node2')), /discovered from the cluster/);
  assert.deepEqual(asked, [], 'no modal for a host the user did not name');
  assert.equal(await g.review('node2'), true);
  assert.equal(await g.policy(key('node2')), 'accept-once');
});

test('a different key for the same host is a new question (the refusal was for that fingerprint)', async () => {
  const { gate: g, asked } = gate(['reject', 'reject']);
  await g.policy(key('node1', 'SHA256:a'));
  await g.policy(key('node1', 'SHA256:b'));
  assert.deepEqual(asked, ['node1', 'node1']);
});

test('concurrent connects to one host share one question', async () => {
  let release: (d: HostKeyDecision) => void = () => undefined;
  let shown = 0;
  const g = new HostKeyGate(() => {
    shown++;
    return new Promise<HostKeyDecision>((r) => (release = r));
  });
  g.setConfiguredHosts(['node1']);
  const both = Promise.all([g.policy(key('node1')), g.policy(key('node1'))]);
  await new Promise((r) => setImmediate(r));
  release('accept-once');
  assert.deepEqual(await both, ['accept-once', 'accept-once']);
  assert.equal(shown, 1);
});

test('a cancelled passphrase is not asked for again until forget() (Retry)', async () => {
  const answers: (string | undefined)[] = [undefined, 'secret'];
  let asked = 0;
  const p = new PassphraseGate(async () => {
    asked++;
    return answers.shift();
  });
  const request = { keyFile: '/k', host: 'node1', attempt: 1 };
  assert.equal(await p.prompt(request), undefined);
  assert.equal(await p.prompt(request), undefined);
  assert.equal(await p.prompt({ ...request, attempt: 2 }), undefined);
  assert.equal(asked, 1, 'asked once');
  p.forget();
  assert.equal(await p.prompt(request), 'secret');
  assert.equal(asked, 2);
});

test('a host the user typed (Add Cluster) is asked about like a configured one, also after the configured list changes', async () => {
  const asked: string[] = [];
  const gate = new HostKeyGate(async (k) => (asked.push(k.host), 'accept-once'));
  const key = { host: 'node9', knownHostsName: '10.0.0.9', keyType: 'ssh-ed25519', fingerprint: 'SHA256:x', knownHostsFile: '/kh', otherKnownTypes: [] as string[] };
  assert.throws(() => gate.policy(key), /discovered from the cluster/);
  gate.allow('node9');
  gate.setConfiguredHosts(['node1']);
  assert.equal(await gate.policy(key), 'accept-once');
  assert.deepEqual(asked, ['node9']);
});

test('removing a cluster ends its Trust Once: adding it back asks again; other hosts keep theirs', async () => {
  const { gate: g, asked } = gate(['accept-once', 'accept-once', 'accept-once']);
  g.setConfiguredHosts(['node1', 'node2']);
  assert.equal(await g.policy(key('node1')), 'accept-once');
  assert.equal(await g.policy(key('node2')), 'accept-once');
  assert.equal(await g.policy(key('node1')), 'accept-once');
  assert.deepEqual(asked, ['node1', 'node2'], 'a reconnect in the window is not asked');
  assert.deepEqual(g.forgetTrustOnce(['node1']), ['node1']);
  assert.equal(await g.policy(key('node1')), 'accept-once');
  assert.equal(await g.policy(key('node2')), 'accept-once');
  assert.deepEqual(asked, ['node1', 'node2', 'node1'], 'node1 asked again after its cluster was removed; node2 not');
  assert.deepEqual(g.forgetTrustOnce(['node3']), []);
});
