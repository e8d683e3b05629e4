// Oracle: Corosync's own `corosync -t -c FILE` (3.1.7) against our error-level verdict, for every
// fixture and corpus file.
//
// `corosync -t` also checks the environment: the local node must be in the nodelist, the log
// directory must exist, crypto needs /etc/corosync/authkey. So each run happens in a throwaway
// namespace of its own (unshare --mount --uts --net): host name = the file's first node, its
// addresses on the namespace's private loopback, node names mapped in a bind-mounted /etc/hosts,
// a tmpfs over /etc/corosync with a random authkey and a tmpfs over /var/log. Nothing leaves the
// namespace (it has no network but its own lo) and everything vanishes when the process exits.
// Skipped when /usr/sbin/corosync or unshare (root) is unavailable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lintCorosync } from '../../../src/core/corosync/lint';
import { corosyncCheck, corosyncCheckUnavailable } from './corosyncCheck';
import { assertReadAll, CORPUS_MINIMUM, corpusFiles, corpusSkip } from '../../corpus';

const repoRoot = resolve(__dirname, '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'corosync');
const skip = corosyncCheckUnavailable();

/**
 * Files where our error verdict and corosync -t legitimately differ, with the reason.
 * "lint ahead": a rule corosync enforces only at run time (votequorum, logging) or not at all.
 * Besides these, files auto-detected as Corosync 1.x/2.x are linted as such (warnings + a
 * `corosync/legacy-config` note) while the oracle is Corosync 3, which rejects most of them.
 */
const knownDisagreements: Record<string, string> = {
  'bad-two-node-atb.corosync.conf': 'lint ahead: votequorum refuses two_node + auto_tie_breaker at start; corosync -t does not run votequorum',
  'pcs-inline-test_get_corosync_conf_struct-L137.conf': 'lint ahead: two_node + quorum device is refused by votequorum at start, not by corosync -t',
};

test('corosync -t agrees with our error verdict (or the difference is documented)', { skip, timeout: 600_000 }, () => {
  const files = [
    ...readdirSync(fixtures).sort().map((f) => join(fixtures, f)),
    ...corpusFiles('corosync'),
  ];
  const fromCorpus = files.length - readdirSync(fixtures).length;
  if (!corpusSkip('corosync')) assertReadAll('oracle: corosync corpus', fromCorpus, corpusFiles('corosync'), CORPUS_MINIMUM.corosync);
  const work = mkdtempSync(join(tmpdir(), 'pcx-oracle-'));
  const rows: string[] = [];
  let agree = 0;
  let documented = 0;
  const unexplained: string[] = [];
  try {
    for (const file of files) {
      const base = file.split('/').pop() as string;
      const linted = lintCorosync(readFileSync(file, 'utf8'));
      const ours = linted.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
      const verdict = corosyncCheck(file, work);
      const same = verdict.accepted === (ours.length === 0);
      if (same) agree++;
      else if (knownDisagreements[base] || (linted.model.generation === 2 && !verdict.accepted)) documented++;
      else unexplained.push(`${base}: corosync ${verdict.accepted ? 'accepts' : `rejects (${verdict.reason})`}, we report [${ours.join(', ')}]`);
      rows.push(`${same ? 'agree' : 'DIFF '} ${verdict.accepted ? 'accepted' : 'rejected'} ours=[${[...new Set(ours)].join(',')}] ${base}${verdict.accepted ? '' : ` — ${verdict.reason.slice(0, 140)}`}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`oracle: ${agree}/${files.length} agree, ${documented} documented differences\n  ${rows.join('\n  ')}`);
  assert.deepEqual(unexplained, []);
});
