/**
 * The one argument parser every `pcx` verb uses: a small declarative layer over node:util's parseArgs, so
 * unknown flags, missing or ambiguous values (`--format --json`), choices and help text are handled the same
 * way everywhere. A verb declares its options once; the usage text is generated from the same table.
 */
import { parseArgs } from 'node:util';
import type { PcxError } from '../core/util/result';

interface OptionBase {
  readonly short?: string;
  readonly help: string;
}
export interface BooleanOption extends OptionBase {
  readonly type: 'boolean';
}
export interface StringOption extends OptionBase {
  readonly type: 'string';
  /** What the value is, for the usage text: `--host H`. */
  readonly value: string;
  readonly multiple?: boolean;
  readonly choices?: readonly string[];
  /** Returns an error message for a bad value. */
  readonly validate?: (value: string) => string | undefined;
}
export type OptionSpec = BooleanOption | StringOption;
export type OptionTable = Record<string, OptionSpec>;

/** A section of the usage text: its title and the options in it. */
export interface OptionGroup {
  readonly title: string;
  readonly options: OptionTable;
}

export interface VerbSpec {
  /** `status` → `pcx status`. */
  readonly name: string;
  /** After `usage: pcx NAME `, e.g. `[source] [options]`. */
  readonly synopsis: string;
  readonly description: string;
  readonly groups: readonly OptionGroup[];
  /** Positional arguments: how many are allowed, and their name for messages. */
  readonly positionals?: { readonly name: string; readonly min?: number; readonly max?: number };
  /** Exit codes and anything else printed after the options. */
  readonly footer?: string;
}

type ValueOf<S extends OptionSpec> = S extends BooleanOption ? boolean : S extends { multiple: true } ? string[] : string | undefined;
type Merge<G extends readonly OptionGroup[]> = G extends readonly [infer H extends OptionGroup, ...infer R extends readonly OptionGroup[]]
  ? H['options'] & Merge<R>
  : unknown;
/** The parsed values of a table: booleans default to false, multiples to [], strings to undefined. */
export type Values<T extends OptionTable> = { -readonly [K in keyof T]: ValueOf<T[K]> };
export type VerbValues<S extends VerbSpec> = Values<Merge<S['groups']> & OptionTable>;

export interface ParsedArgs<V> {
  readonly values: V;
  readonly positionals: string[];
  readonly help: boolean;
}

export type ParseResult<V> = { ok: true; value: ParsedArgs<V> } | { ok: false; error: PcxError };

const HELP: BooleanOption = { type: 'boolean', short: 'h', help: 'this help' };

function allOptions(spec: VerbSpec): OptionTable {
  const all: Record<string, OptionSpec> = {};
  for (const g of spec.groups) Object.assign(all, g.options);
  return all;
}

export function usageError(spec: VerbSpec, message: string): PcxError {
  return { code: 'usage', message, hint: `see \`pcx ${spec.name} --help\`` };
}

/** node:util's messages name the option as it was typed; ours say the same thing in one line. */
function describeParseError(e: NodeJS.ErrnoException): string {
  const m = e.message.split('\n')[0] ?? e.message;
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = /'([^']+)'/.exec(m)?.[1];
      return name ? `unknown option ${name}` : m;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = /--[\w-]+/.exec(m)?.[0] ?? /'(-[^' ,]+)/.exec(m)?.[1] ?? 'an option';
      if (/ambiguous/.test(m)) return `${name} needs a value (to give one that starts with '-', write ${name}=VALUE)`;
      if (/argument missing/.test(m)) return `${name} needs a value`;
      if (/does not take an argument/.test(m)) return `${name} takes no value`;
      return m;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(m)?.[1] ?? ''}`.trim();
    default:
      return m;
  }
}

/** Parses argv for one verb. Never throws for bad input: a usage error names what was wrong. */
export function parseVerbArgs<S extends VerbSpec>(spec: S, argv: readonly string[]): ParseResult<VerbValues<S>> {
  const table = allOptions(spec);
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(table)) {
    config[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.type === 'string' && o.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: spec.positionals !== undefined });
  } catch (e) {
    return { ok: false, error: usageError(spec, describeParseError(e as NodeJS.ErrnoException)) };
  }
  const values: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(table)) {
    const raw = parsed.values[name];
    if (o.type === 'boolean') {
      values[name] = raw === true;
      continue;
    }
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
    for (const v of list) {
      if (v === '') return { ok: false, error: usageError(spec, `--${name} needs a value`) };
      if (o.choices && !o.choices.includes(v)) return { ok: false, error: usageError(spec, `--${name}: '${v}' is not one of ${o.choices.join(', ')}`) };
      const bad = o.validate?.(v);
      if (bad) return { ok: false, error: usageError(spec, `--${name}: ${bad}`) };
    }
    values[name] = o.multiple ? list : list[0];
  }
  const help = parsed.values['help'] === true;
  const pos = spec.positionals;
  if (pos && !help) {
    if (pos.min !== undefined && parsed.positionals.length < pos.min) return { ok: false, error: usageError(spec, `missing ${pos.name}`) };
    if (pos.max !== undefined && parsed.positionals.length > pos.max) {
      return { ok: false, error: usageError(spec, `unexpected argument ${JSON.stringify(parsed.positionals[pos.max])}`) };
    }
  }
  return { ok: true, value: { values: values as VerbValues<S>, positionals: parsed.positionals, help } };
}

function optionLabel(name: string, o: OptionSpec): string {
  const long = o.type === 'string' ? `--${name} ${o.choices ? o.choices.join('|') : o.value}` : `--${name}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** The usage text, generated from the same table the parser uses. */
export function usageText(spec: VerbSpec): string {
  const lines = [`usage: pcx ${spec.name} ${spec.synopsis}`.trimEnd(), '', spec.description];
  const groups = [...spec.groups, { title: 'help', options: { help: HELP } }];
  const labels = groups.flatMap((g) => Object.entries(g.options).map(([n, o]) => optionLabel(n, o)));
  const width = Math.min(30, Math.max(...labels.map((l) => l.length)) + 2);
  for (const g of groups) {
    lines.push('', `${g.title}:`);
    for (const [name, o] of Object.entries(g.options)) {
      const label = optionLabel(name, o);
      const [first, ...rest] = o.help.split('\n');
      lines.push(label.length + 2 > width ? `  ${label}\n  ${' '.repeat(width)}${first}` : `  ${label.padEnd(width)}${first}`);
      for (const r of rest) lines.push(`  ${' '.repeat(width)}${r}`);
    }
  }
  if (spec.footer) lines.push('', spec.footer);
  return lines.join('\n');
}

/** A value that must be a TCP port. */
export function validatePort(v: string): string | undefined {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? undefined : `not a port number: ${v}`;
}

/** `10m`, `90s`, `2h`, `1d` → milliseconds; undefined for anything else. */
export function parseDuration(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export function validateDuration(v: string): string | undefined {
  return parseDuration(v) === undefined ? `not a duration (e.g. 30s, 10m, 2h): ${v}` : undefined;
}
