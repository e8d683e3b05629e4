/**
 * Which Corosync a corosync.conf is judged for, and how we know: `--corosync-version` (the user said so),
 * else the connected node's own `corosync -v` (`pcx lint --host`), else what the file says (model.ts
 * guessGenerationWhy). Every front end prints the judgement, so a 2.x file is never silently told to use knet.
 */
import type { CommandRunner } from '../remote/runner';
import type { CorosyncGeneration } from './model';
import { guessGenerationWhy } from './model';
import { parseCorosync } from './parser';

export interface NodeCorosync {
  readonly host: string;
  /** "3.1.7" */
  readonly version: string;
}

export interface CorosyncJudgement {
  readonly generation: CorosyncGeneration;
  /** "Corosync 2.x (from the file: transport udpu, secauth, nodes without nodeid)". */
  readonly text: string;
}

/** `corosync -v` output ("Corosync Cluster Engine, version '3.1.7'") → "3.1.7"; undefined when it is not that. */
export function parseCorosyncVersion(output: string): string | undefined {
  return /Corosync Cluster Engine, version '(\d+)\.(\d+)(?:\.\d+)*[^']*'/.exec(output)?.[0].replace(/^.*version '([^']*)'.*$/, '$1');
}

/** 1.x and 2.x read the same kind of file (udp/udpu, rings); 3.x is knet. */
export function generationOf(version: string): CorosyncGeneration {
  return Number(version.split('.')[0]) >= 3 ? 3 : 2;
}

export function judgeCorosync(text: string, options: { readonly forced?: CorosyncGeneration; readonly node?: NodeCorosync } = {}): CorosyncJudgement {
  if (options.forced) return { generation: options.forced, text: `Corosync ${options.forced}.x (--corosync-version ${options.forced})` };
  if (options.node) {
    const g = generationOf(options.node.version);
    return { generation: g, text: `Corosync ${options.node.version} (corosync -v on ${options.node.host})` };
  }
  const guess = guessGenerationWhy(parseCorosync(text));
  return { generation: guess.generation, text: `Corosync ${guess.generation === 2 ? '1.x/2.x' : '3.x'} (from the file: ${guess.why})` };
}

/** Ask a node which Corosync it runs. Throws with the node's words when it cannot tell. */
export async function readCorosyncVersion(runner: CommandRunner): Promise<NodeCorosync> {
  const r = await runner.run(['corosync', '-v'], { timeoutMs: 15_000 });
  const version = parseCorosyncVersion(`${r.stdout}\n${r.stderr}`);
  if (r.code !== 0 || !version) {
    const said = `${r.stderr || r.stdout}`.trim().split('\n')[0] ?? '';
    throw new Error(`corosync -v on ${runner.host} ${r.code !== 0 ? `exited with ${r.code}` : 'printed no version'}${said ? `: ${said.slice(0, 200)}` : ''}`);
  }
  return { host: runner.host, version };
}
