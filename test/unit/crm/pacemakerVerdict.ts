/**
 * Pacemaker's verdict on a crm spec, for the lint oracle:
 *   1. crmsh 4.4 refuses the text the way `configure load update` does before it touches a CIB: its own
 *      parser (crmsh/parse.py `parse`, statement by statement as cibconfig.py's `save` splits them with
 *      utils.lines2cli) and its CibDiff.add (a duplicate resource or node id). One python process for all
 *      files; CIB_file names an empty CIB so crmsh initialises offline (a few ms per file).
 *   2. Otherwise crm_verify --xml-file on OUR compiled CIB (the compiler is proven equal to crmsh's in
 *      oracle.test.ts), with an empty status section: a bootstrap CIB, as a new cluster would load it.
 *      Run at most two at a time (the machine has two cores); about 30 ms each.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compileCrm } from '../../../src/core/crm/compile';
import { parseCrm } from '../../../src/core/crm/parser';
import { el, serialize } from '../../../src/core/crm/xmlOut';

const run = promisify(execFile);

export function verdictToolsMissing(): string | false {
  if (!existsSync('/usr/sbin/crm_verify')) return 'crm_verify (pacemaker-cli-utils) not installed';
  if (spawnSync('python3', ['-c', 'import sys; sys.path.insert(0, "/usr/lib/python3/dist-packages"); import crmsh.parse'], { encoding: 'utf8' }).status !== 0) return 'crmsh (python3 crmsh.parse) not installed';
  return false;
}

export interface PacemakerVerdict {
  /** crmsh's parser refused a statement (its messages). */
  readonly crmsh?: string;
  /** crm_verify's error lines on the compiled CIB (empty: accepted); undefined when crmsh refused first. */
  readonly verify?: readonly string[];
  readonly refused: boolean;
}

const EMPTY_CIB = '<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>\n';

const PARSE_ALL = `
import sys
sys.path.insert(0, '/usr/lib/python3/dist-packages')
from crmsh import parse, utils, cibconfig
cibconfig.cib_factory.initialize()
for i, f in enumerate(sys.argv[1:]):
    print('pcx-begin %d' % i, flush=True)
    ok = True
    diff = cibconfig.CibDiff(None)
    for cli in utils.lines2cli(open(f).read()):
        try:
            node = parse.parse(cli, comments=[])
        except Exception as e:
            print('exception: %s' % e, flush=True)
            node = False
        if node is False:
            ok = False
        elif node is not None and not diff.add(node):
            ok = False
    print('pcx-end %d %s' % (i, 'ok' if ok else 'refused'), flush=True)
`;

/** crmsh's parser over every text: index → undefined (accepted) or its messages. */
export function crmshParse(texts: readonly string[], work: string): (string | undefined)[] {
  const files = texts.map((t, i) => {
    const f = join(work, `m${i}.crm`);
    writeFileSync(f, t);
    return f;
  });
  writeFileSync(join(work, 'empty.xml'), EMPTY_CIB);
  writeFileSync(join(work, 'parse.py'), PARSE_ALL);
  const r = spawnSync('sh', ['-c', 'exec python3 "$0" "$@" 2>&1', join(work, 'parse.py'), ...files], {
    encoding: 'utf8',
    env: { ...process.env, CIB_file: join(work, 'empty.xml'), HOME: work },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  if (r.error) throw r.error;
  const out: (string | undefined)[] = texts.map(() => undefined);
  let cur = -1;
  let msgs: string[] = [];
  const seen = new Set<number>();
  for (const line of r.stdout.split('\n')) {
    const b = /^pcx-begin (\d+)$/.exec(line);
    const e = /^pcx-end (\d+) (ok|refused)$/.exec(line);
    if (b) {
      cur = Number(b[1]);
      msgs = [];
    } else if (e) {
      seen.add(cur);
      out[cur] = e[2] === 'refused' ? msgs.join(' | ') || 'refused' : undefined;
    } else if (cur >= 0 && line.trim() && !/^Reference not found/.test(line)) msgs.push(line.trim());
  }
  if (seen.size !== texts.length) throw new Error(`crmsh's parser reported on ${seen.size} of ${texts.length} files (it stopped early): ${r.stdout.slice(-800)}`);
  return out;
}

export function bootstrapCib(text: string): string {
  const out = compileCrm(parseCrm(text));
  return serialize(el('cib', { 'validate-with': 'pacemaker-3.7', epoch: '1', num_updates: '0', admin_epoch: '0' }, [out.configuration, el('status')]));
}

/** crm_verify on each XML, two at a time: index → its error lines ([] = no error). */
export async function crmVerifyAll(xmls: readonly (string | undefined)[], work: string): Promise<(string[] | undefined)[]> {
  const out: (string[] | undefined)[] = xmls.map(() => undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < xmls.length) {
      const i = next++;
      const xml = xmls[i];
      if (xml === undefined) continue;
      const f = join(work, `v${i}.xml`);
      writeFileSync(f, xml);
      let text: string;
      try {
        const r = await run('crm_verify', ['--xml-file', f], { encoding: 'utf8' });
        text = `${r.stdout}${r.stderr}`;
      } catch (e) {
        const x = e as { stdout?: string; stderr?: string; code?: number };
        if (typeof x.code !== 'number') throw e;
        text = `${x.stdout ?? ''}${x.stderr ?? ''}`;
      }
      // Exit 78 with only "Warnings found" is the offline CIB's quorum warning; errors say "error:"/"Errors found".
      out[i] = /Errors found|error:/i.test(text) ? text.split('\n').filter((l) => /error/i.test(l) && !/Errors found/.test(l)).map((l) => l.replace(/^.*?error: /, '').trim()) : [];
      if (out[i]!.length === 0 && /Errors found/.test(text)) out[i] = ['Errors found'];
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/** Both stages over every text. */
export async function pacemakerVerdicts(texts: readonly string[]): Promise<PacemakerVerdict[]> {
  const work = mkdtempSync(join(tmpdir(), 'pcx-verdict-'));
  try {
    const parsed = crmshParse(texts, work);
    const verify = await crmVerifyAll(texts.map((t, i) => (parsed[i] === undefined ? bootstrapCib(t) : undefined)), work);
    return texts.map((_, i) => {
      const crmsh = parsed[i];
      if (crmsh !== undefined) return { crmsh, refused: true };
      const v = verify[i]!;
      return { verify: v, refused: v.length > 0 };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
