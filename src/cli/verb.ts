/**
 * The one skeleton of a pcx verb: parse the arguments (a usage error → stderr, exit 2), `--help` (usage on stdout,
 * exit 0), run the verb's body, turn an expected failure (PcxFailure) into `pcx VERB: what went wrong — what to do`
 * on stderr and exit 2 (a bug is rethrown for pcx.ts to report), and close every SSH connection the verb opened,
 * whatever happened. A verb's file then holds only its spec and what it does.
 */
import { SshPool } from '../core/ssh/pool';
import { describeError, PcxFailure } from '../core/util/result';
import { parseVerbArgs, usageText, type VerbSpec, type VerbValues } from './args';
import { connectOptionsFromSource, targetFromSource, type SourceValues } from './source';
import type { ClusterTarget } from '../core/cluster/live';

const EXIT_FAILED = 2;

export interface VerbRun<S extends VerbSpec> {
  readonly values: VerbValues<S>;
  readonly positionals: readonly string[];
  /** A line on stderr, prefixed `pcx VERB: `. */
  say(line: string): void;
  /** A connection pool for this run (one attempt per host, as pcx does), closed when the verb ends. */
  pool(v: SourceValues): SshPool;
}

export interface VerbOptions {
  /** Told of an expected failure before it is written to stderr (a `--json` verb prints its error object here). */
  readonly onFailure?: (e: PcxFailure) => void;
}

export async function runVerb<S extends VerbSpec>(spec: S, args: readonly string[], body: (run: VerbRun<S>) => Promise<number>, options: VerbOptions = {}): Promise<number> {
  const say = (line: string) => process.stderr.write(`pcx ${spec.name}: ${line}\n`);
  const parsed = parseVerbArgs(spec, args);
  if (!parsed.ok) {
    say(describeError(parsed.error));
    return EXIT_FAILED;
  }
  if (parsed.value.help) {
    process.stdout.write(usageText(spec) + '\n');
    return 0;
  }
  const pools: SshPool[] = [];
  const run: VerbRun<S> = {
    values: parsed.value.values,
    positionals: parsed.value.positionals,
    say,
    pool(v) {
      const pool = new SshPool(connectOptionsFromSource(v, spec.name), { attempts: 1 });
      pools.push(pool);
      return pool;
    },
  };
  try {
    return await body(run);
  } catch (e) {
    if (!(e instanceof PcxFailure)) throw e;
    options.onFailure?.(e);
    say(describeError(e));
    return EXIT_FAILED;
  } finally {
    for (const p of pools) p.closeAll();
  }
}

/**
 * The source of the verbs that work on a cluster folder (diff, pull, apply, bootstrap): the login options of
 * `pcx status` with the folder's nodes as the hosts (they are reached by their corosync names through ssh_config).
 */
export function folderSource<V extends object>(values: V, nodes: readonly string[]): V & SourceValues {
  return { ...values, host: [...nodes], cluster: undefined, clusters: undefined } as V & SourceValues;
}

/** The cluster target of a folder's nodes. */
export function folderTarget(values: object, nodes: readonly string[]): Promise<ClusterTarget> {
  return targetFromSource(folderSource(values, nodes));
}
