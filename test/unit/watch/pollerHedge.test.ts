// The poller's hedged rounds (src/core/watch/race.ts): a host that does not answer within hedgeDelayMs gets the
// next one asked beside it; the first answer is shown, the slow host is named once (describeSlow) and given up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterPoller, type HostState } from '../../../src/core/watch/poller';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

test('node1 hangs: node2 is read after the hedge delay, node1 named by describeSlow (once) and its read given up', async () => {
  const hang = new Set(['node1']);
  const aborted: string[] = [];
  const updates: string[] = [];
  const hostEvents: string[] = [];
  const read = (host: string, signal?: AbortSignal): Promise<string> =>
    new Promise((resolve, reject) => {
      signal?.addEventListener('abort', () => {
        aborted.push(host);
        reject(new Error(`${host} cancelled`));
      });
      if (!hang.has(host)) setTimeout(() => resolve('1:1:1'), 5);
    });
  const poller = new ClusterPoller<string>({
    hosts: ['node1', 'node2'],
    probeMs: 100,
    hedgeDelayMs: 60,
    probe: (host, signal) => read(host, signal),
    fetch: async (host, _reason, signal) => ({ value: `state via ${host}`, version: await read(host, signal) }),
    describeSlow: async (host, ms) => new Error(`${host} not answering after ${ms} ms`),
    onUpdate: (value) => updates.push(value),
    onError: () => undefined,
    onHosts: (hosts: readonly HostState[]) => hostEvents.push(hosts.map((h) => `${h.host}:${h.state}${h.error ? `(${(h.error as Error).message.replace(/\d+ ms/, 'N ms')})` : ''}`).join(' ')),
  });
  const t0 = Date.now();
  poller.setVisible(true);
  while (updates.length === 0 && Date.now() - t0 < 2000) await sleep(5);
  const ms = Date.now() - t0;
  await sleep(30);
  poller.dispose();
  assert.deepEqual(updates.slice(0, 1), ['state via node2']);
  assert.ok(ms >= 50 && ms < 1000, `read through node2 after ${ms} ms (hedge delay 60 ms)`);
  assert.ok(aborted.includes('node1'), 'node1\'s read given up');
  // node1 is named once, for what describeSlow said: never first as something else.
  const node1States = [...new Set(hostEvents.map((e) => e.split(' node2:')[0]!))];
  assert.deepEqual(node1States.filter((s) => s !== 'node1:untried'), ['node1:failed(node1 not answering after N ms)'], hostEvents.join('\n'));
});

test('without hedgeDelayMs the next host is asked only after the first fails', async () => {
  const started: string[] = [];
  let release: (() => void) | undefined;
  const poller = new ClusterPoller<string>({
    hosts: ['node1', 'node2'],
    probeMs: 100,
    probe: async () => '1',
    fetch: (host) => {
      started.push(host);
      return host === 'node1' ? new Promise((_, reject) => (release = () => reject(new Error('node1 timed out')))) : Promise.resolve({ value: host, version: '1' });
    },
    onUpdate: () => undefined,
    onError: () => undefined,
  });
  poller.setVisible(true);
  await sleep(150);
  assert.deepEqual(started, ['node1']);
  release?.();
  await sleep(20);
  poller.dispose();
  assert.deepEqual(started, ['node1', 'node2']);
});
