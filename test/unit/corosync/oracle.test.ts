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
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lintCorosync } from '../../../src/core/corosync/lint';
import { addressFamily } from '../../../src/core/corosync/model';
import { assertReadAll, CORPUS_MINIMUM, corpusFiles, corpusSkip } from '../../corpus';

const repoRoot = resolve(__dirname, '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'corosync');
const COROSYNC = '/usr/sbin/corosync';

function unavailable(): string | false {
  if (!existsSync(COROSYNC)) return `${COROSYNC} absent`;
  if (process.getuid?.() !== 0) return 'needs root for unshare --mount --net';
  const probe = spawnSync('unshare', ['--mount', '--uts', '--net', '--fork', 'true'], { encoding: 'utf8' });
  return probe.status === 0 ? false : `unshare failed: ${probe.stderr.trim()}`;
}
const skip = unavailable();

const script = `set -e
mount -t tmpfs pcx-oracle /etc/corosync
mkdir -p /etc/corosync/uidgid.d
head -c 256 /dev/urandom > /etc/corosync/authkey
mount -t tmpfs pcx-oracle /var/log
mkdir -p /var/log/cluster /var/log/corosync
mount --bind "$PCX_HOSTS" /etc/hosts
hostname "$PCX_NAME"
ip link set lo up
for a in $PCX_ADDRS; do ip addr add "$a" dev lo; done
set +e
timeout 20 ${COROSYNC} -t -c "$1" 2>&1
echo "pcx-exit=$?"
`;

interface Verdict {
  readonly accepted: boolean;
  readonly reason: string;
}

/** Runs corosync -t on `file` in a namespace where the file's first node is the local host. */
function oracle(file: string, work: string): Verdict {
  const { model } = lintCorosync(readFileSync(file, 'utf8'));
  const hosts = ['127.0.0.1 localhost'];
  const addrs: string[] = [];
  let next = 150;
  const resolveAddr = (a: string): string => {
    if (addressFamily(a)) return a;
    const ip = `10.213.0.${next++}`;
    hosts.push(`${ip} ${a}`);
    return ip;
  };
  model.nodes.forEach((n, i) => {
    for (const ring of n.rings.values()) {
      const ip = resolveAddr(ring.value);
      if (i === 0) addrs.push(addressFamily(ip) === 6 ? `${ip}/128` : `${ip}/32`);
    }
  });
  const first = model.nodes[0];
  const name = first?.pairs.get('name')?.value ?? (first?.rings.get(0) && !addressFamily(first.rings.get(0)!.value) ? first.rings.get(0)!.value : 'pcx-oracle');
  if (model.nodes.length === 0) {
    // Corosync 2 style: give the namespace an address inside bindnetaddr's network.
    const bind = model.interfaces.map((i) => i.pairs.get('bindnetaddr')?.value).find((v) => v && addressFamily(v) === 4);
    if (bind) addrs.push(bind.replace(/\.\d+$/, '.1') + '/24');
  }
  const hostsFile = join(work, 'hosts');
  writeFileSync(hostsFile, hosts.join('\n') + '\n');
  const r = spawnSync('unshare', ['--mount', '--uts', '--net', '--fork', 'sh', '-c', script, 'oracle', file], {
    encoding: 'utf8',
    env: { ...process.env, PCX_HOSTS: hostsFile, PCX_NAME: name, PCX_ADDRS: addrs.join(' ') },
    timeout: 30_000,
  });
  const out = r.stdout ?? '';
  const exit = /pcx-exit=(\d+)/.exec(out)?.[1];
  const reason = out.split('\n').filter((l) => /error|parse error|invalid|Invalid|expected/.test(l) && !/exiting with status/.test(l)).map((l) => l.replace(/^.*?\] /, '')).join(' | ');
  return { accepted: exit === '0', reason: reason || `exit ${exit ?? r.status}` };
}

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
      const verdict = oracle(file, work);
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
