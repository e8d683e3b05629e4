// `corosync -t -c FILE` (Corosync's own check) in a throwaway namespace, for the tests that use Corosync as the
// oracle: the local node must be in the nodelist, the log directory must exist, crypto needs
// /etc/corosync/authkey. So each run gets its own `unshare --mount --uts --net`: host name = the file's first
// node, its addresses on the namespace's private loopback, node names mapped in a bind-mounted /etc/hosts, a
// tmpfs over /etc/corosync with a random authkey and a tmpfs over /var/log. Nothing leaves the namespace.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintCorosync } from '../../../src/core/corosync/lint';
import { addressFamily } from '../../../src/core/corosync/model';

const COROSYNC = '/usr/sbin/corosync';

export function corosyncCheckUnavailable(): string | false {
  if (!existsSync(COROSYNC)) return `${COROSYNC} absent`;
  if (process.getuid?.() !== 0) return 'needs root for unshare --mount --net';
  const probe = spawnSync('unshare', ['--mount', '--uts', '--net', '--fork', 'true'], { encoding: 'utf8' });
  return probe.status === 0 ? false : `unshare failed: ${probe.stderr.trim()}`;
}

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

export interface Verdict {
  readonly accepted: boolean;
  readonly reason: string;
}

/** The unshare argv and environment that run corosync -t on `file` with the file's first node as the local host. */
function prepare(file: string, work: string): { argv: string[]; env: NodeJS.ProcessEnv } {
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
  const hostsFile = join(work, `hosts-${file.replace(/[^A-Za-z0-9]/g, '_').slice(-60)}`);
  writeFileSync(hostsFile, hosts.join('\n') + '\n');
  return {
    argv: ['--mount', '--uts', '--net', '--fork', 'sh', '-c', script, 'oracle', file],
    env: { ...process.env, PCX_HOSTS: hostsFile, PCX_NAME: name, PCX_ADDRS: addrs.join(' ') },
  };
}

function verdictOf(out: string, status: number | null): Verdict {
  const exit = /pcx-exit=(\d+)/.exec(out)?.[1];
  const reason = out.split('\n').filter((l) => /error|parse error|invalid|Invalid|expected/.test(l) && !/exiting with status/.test(l)).map((l) => l.replace(/^.*?\] /, '')).join(' | ');
  return { accepted: exit === '0', reason: reason || `exit ${exit ?? status}` };
}

/** Runs corosync -t on `file` in a namespace where the file's first node is the local host. */
export function corosyncCheck(file: string, work: string): Verdict {
  const { argv, env } = prepare(file, work);
  const r = spawnSync('unshare', argv, { encoding: 'utf8', env, timeout: 30_000 });
  return verdictOf(r.stdout ?? '', r.status);
}

/** corosync -t on every file, `parallel` at a time (each in its own namespace). */
export async function corosyncCheckAll(files: readonly string[], work: string, parallel = 2): Promise<Verdict[]> {
  const out: Verdict[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const { argv, env } = prepare(files[i]!, work);
      out[i] = await new Promise<Verdict>((done, fail) => {
        execFile('unshare', argv, { encoding: 'utf8', env, timeout: 30_000 }, (error, stdout) => {
          if (error && typeof error.code !== 'number') fail(error);
          else done(verdictOf(stdout ?? '', error ? Number(error.code) : 0));
        });
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}
