// Corosync's own `corosync -t` (3.1.7, in a private namespace: corosyncCheck.ts) as the oracle of our error
// verdict on seeded mutations of every Corosync 3 file both accept (fixtures and corpus). Each disagreement must
// match one of EXPLAINED; the test prints the counts and asserts them exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { lintCorosync } from '../../../src/core/corosync/lint';
import { judgeCorosync } from '../../../src/core/corosync/version';
import { corpusFiles, corpusSkip, IN_CI } from '../../corpus';
import type { Verdict } from './corosyncCheck';
import { corosyncCheckAll, corosyncCheckUnavailable } from './corosyncCheck';
import type { CsMutant } from './mutate';
import { CS_MUTATION_KINDS, csMutants } from './mutate';

const fixtures = join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'corosync');
const SEED = 27;
const COUNT = 300;

/** Counts reached when the test was written (corosync 3.1.7): asserted exactly. */
const EXPECTED = { files: 39, bases: 6, mutants: COUNT, agree: 249, explained: { 'provider-at-start': 20, 'trailing-comment': 12, 'other-nodes': 16, 'qdevice-section': 3 } as Record<string, number> };

type Case = CsMutant & { readonly ours: readonly string[]; readonly theirs: Verdict };
const only = (c: Case, codes: readonly string[]) => c.ours.length > 0 && c.ours.every((x) => codes.includes(x));

/** Where pcx errs and `corosync -t` does not, on purpose: corosync -t checks the file's syntax and the local node, not what is read later. */
const EXPLAINED: Record<string, { readonly why: string; readonly matches: (c: Case) => boolean }> = {
  'provider-at-start': {
    why: 'a misspelt quorum.provider: corosync -t does not load the quorum provider, so an unknown one shows only when Corosync starts (corosync.conf(5): corosync_votequorum is the only provider)',
    matches: (c) => c.theirs.accepted && only(c, ['corosync/quorum-provider']),
  },
  'trailing-comment': {
    why: '"key: value # note": Corosync keeps the comment as part of the value (cluster_name "redis-ha # note", a provider that cannot load); pcx errs on purpose (corosync/trailing-comment)',
    matches: (c) => c.theirs.accepted && c.kind === 'comment' && only(c, ['corosync/trailing-comment', 'corosync/quorum-provider']),
  },
  'other-nodes': {
    why: 'another node without ring0_addr, or two nodes on one address: corosync -t binds only the local node\'s addresses; the other node cannot join, and pcs refuses to write such a nodelist',
    matches: (c) => c.theirs.accepted && (c.kind === 'address' || c.kind === 'key') && only(c, ['corosync/duplicate-node-address', 'corosync/link-count-mismatch', 'corosync/node-missing-ring0']),
  },
  'qdevice-section': {
    why: 'a misspelt quorum.device model or algorithm: corosync -t does not read quorum.device, corosync-qdevice refuses it when it starts',
    matches: (c) => c.theirs.accepted && only(c, ['corosync/invalid-value']) && /quorum\.device\./.test(c.what),
  },
};

function baseFiles(): string[] {
  return [...readdirSync(fixtures).sort().map((f) => join(fixtures, f)), ...corpusFiles('corosync')];
}

const ourErrors = (text: string): string[] => [...new Set(lintCorosync(text, { generation: 3 }).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].sort();

test('corosync -t agrees with our error verdict on seeded mutations of every Corosync 3 file both accept', { skip: IN_CI ? false : corosyncCheckUnavailable() || corpusSkip('corosync'), timeout: 900_000 }, async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'pcx-cs-mutants-'));
  try {
    const files = baseFiles();
    const first = await corosyncCheckAll(files, work);
    // Bases: files judged for Corosync 3 (the oracle's version) that corosync -t accepts and we find no error in.
    const bases = files
      .map((f, i): [string, string, boolean] => [basename(f), readFileSync(f, 'utf8'), first[i]!.accepted])
      .filter(([, t, ok]) => ok && judgeCorosync(t).generation === 3 && ourErrors(t).length === 0)
      .map(([n, t]): [string, string] => [n, t]);
    const made = csMutants(bases, COUNT, SEED);
    const paths = made.map((m, i) => {
      const p = join(work, `m${i}.conf`);
      writeFileSync(p, m.text);
      return p;
    });
    const t1 = Date.now();
    const verdicts = await corosyncCheckAll(paths, work);
    const checkMs = Date.now() - t1;
    const cases: Case[] = made.map((m, i) => ({ ...m, ours: ourErrors(m.text), theirs: verdicts[i]! }));
    let agree = 0;
    const explained: Record<string, number> = {};
    const unexplained: string[] = [];
    const shown: string[] = [];
    for (const c of cases) {
      if (c.theirs.accepted === (c.ours.length === 0)) {
        agree++;
        continue;
      }
      const line = `${c.base} (${c.kind}: ${c.what}): corosync -t ${c.theirs.accepted ? 'accepts' : `refuses (${c.theirs.reason.slice(0, 160)})`}, pcx ${c.ours.length ? `errs [${c.ours.join(', ')}]` : 'finds no error'}`;
      const reason = Object.entries(EXPLAINED).find(([, e]) => e.matches(c))?.[0];
      if (!reason) unexplained.push(line);
      else if ((explained[reason] = (explained[reason] ?? 0) + 1) <= 2) shown.push(`#  explained (${reason}): ${line}\n`);
    }
    const byKind = Object.fromEntries(CS_MUTATION_KINDS.map((k) => [k, made.filter((m) => m.kind === k).length]));
    process.stdout.write(
      `# corosync mutation oracle: ${files.length} files, ${bases.length} Corosync 3 bases; ${made.length} mutations (seed ${SEED}; ${JSON.stringify(byKind)}), ` +
        `${cases.filter((c) => !c.theirs.accepted).length} refused by corosync -t, ${agree} agree, explained ${JSON.stringify(explained)}, unexplained ${unexplained.length}\n` +
        `# corosync mutation oracle: corosync -t on the mutations took ${(checkMs / 1000).toFixed(1)} s (2 at a time); whole test ${((Date.now() - t0) / 1000).toFixed(1)} s\n` +
        Object.entries(EXPLAINED).map(([k, e]) => `#   ${k}: ${e.why}\n`).join('') +
        shown.join(''),
    );
    assert.deepEqual(unexplained, [], 'disagreements with corosync -t that no EXPLAINED entry covers: fix the rule, or document why pcx differs');
    assert.deepEqual({ files: files.length, bases: bases.length, mutants: made.length, agree, explained }, EXPECTED, 'the counts changed: update EXPECTED if a rule or the generator changed on purpose (the printed line has the new counts)');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
