// "Did you mean" skips candidates whose length alone rules them out; the answer must be the one the plain
// search over every candidate gives (first candidate at the smallest distance, within the limit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { closest, distance } from '../../../src/core/crm/rules/context';

function plainClosest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

test('closest() gives the answer of the search over every candidate (random names, ties, case, lengths)', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', 'B', '-', '_', 'İ'), maxLength: 14 });
  fc.assert(
    fc.property(word, fc.array(word, { maxLength: 30 }), (name, candidates) => {
      assert.equal(closest(name, candidates), plainClosest(name, candidates));
    }),
    { numRuns: 3000 },
  );
  assert.equal(closest('ipaddr', ['cidr_netmask', 'ip', 'ipadr', 'IPADDR']), 'IPADDR');
  assert.equal(closest('nic', ['ip', 'cidr_netmask']), 'ip');
});
