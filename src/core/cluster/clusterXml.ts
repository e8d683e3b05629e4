/**
 * A live read's raw XML (which host answered, what was skipped) and the one policy for parsing it: crm_mon must
 * parse, a CIB that could not be read or parsed degrades to crm_mon-only with the reason. Split from live.ts.
 */
import { createHash } from 'node:crypto';
import { cibVersionFromText, cibVersionKey } from '../remote/commands';
import { err, ok, PcxFailure, type PcxError, type Result } from '../util/result';
import { parseCib } from './cib';
import { parseCrmMon } from './crmMon';
import { buildSnapshot } from './snapshot';
import type { CibConfig, ClusterSnapshot, CrmMonStatus } from './types';

/** Raw XML as the cluster printed it, plus which host answered. */
export interface ClusterXml {
  readonly host: string;
  readonly crmMonXml: string;
  /** The CIB; absent when it could not be read (cibFailure says why): the read is crm_mon-only then. */
  readonly cibXml?: string;
  readonly cibFailure?: PcxError;
  /** Hosts tried before `host` and why each did not answer (show them as warnings). */
  readonly skipped?: readonly PcxError[];
}

/**
 * A change key for a crm_mon-only read (no CIB version to go by): a digest of crm_mon's XML without the parts that
 * change on every call.
 */
export function crmMonChangeKey(crmMonXml: string): string {
  // <last_update time> is the time of the call; 2.1's <pacemakerd last_updated> moves with every call too.
  const stable = crmMonXml.replace(/<last_update\b[^>]*\/>/g, '').replace(/(<pacemakerd\b[^>]*?)\s+last_updated="[^"]*"/g, '$1');
  return `crm_mon:${createHash('sha256').update(stable).digest('hex').slice(0, 32)}`;
}

/** What a live read parses into; `cibProblem` says why `cib` is missing when the CIB could not be parsed. */
export interface ParsedClusterXml {
  readonly crmMon: CrmMonStatus;
  readonly cib?: CibConfig;
  readonly cibProblem?: PcxError;
}

/**
 * One policy for every reader of a live cluster (pcx status, the explorer): crm_mon's XML must parse — it is the
 * runtime state — while a CIB that could not be read or doesn't parse only costs the configuration details, so it degrades to
 * crm_mon-only with the reason instead of hiding the whole status.
 */
export function parseClusterXml(xml: ClusterXml): Result<ParsedClusterXml> {
  const crmMon = parseCrmMon(xml.crmMonXml);
  if (!crmMon.ok) return err({ ...crmMon.error, host: crmMon.error.host ?? xml.host });
  if (xml.cibXml === undefined) {
    const reason = xml.cibFailure ?? { code: 'cib-unavailable', message: `the CIB of ${xml.host} was not read`, hint: 'Run cibadmin --query --local on the node to see why.' };
    // Field by field: a PcxFailure is an Error, whose message a spread would drop.
    return ok({ crmMon: crmMon.value, cibProblem: { code: reason.code, message: reason.message, hint: reason.hint, host: reason.host ?? xml.host } });
  }
  const cib = parseCib(xml.cibXml);
  return ok(cib.ok ? { crmMon: crmMon.value, cib: cib.value } : { crmMon: crmMon.value, cibProblem: { ...cib.error, host: cib.error.host ?? xml.host } });
}

/** The version key ("admin_epoch:epoch:num_updates") of a whole CIB, or undefined when it has no `<cib>` tag. */
export function cibVersionOf(xml: string): string | undefined {
  const v = cibVersionFromText(xml);
  return v && cibVersionKey(v);
}

/** A live read as the model: the snapshot, why the CIB part is missing if it is, and the version a watch compares. */
export interface SnapshotRead {
  readonly xml: ClusterXml;
  readonly snapshot: ClusterSnapshot;
  readonly cibProblem?: PcxError;
  /** The CIB's version; without a CIB, crm_mon's change key (so an unchanged cluster is not read again). */
  readonly version: string;
}

/**
 * The one way from a live read's XML to the model, for pcx status, its --watch, the explorer and the operations'
 * preview: parse (crm_mon must parse, a bad CIB degrades to crm_mon-only), build the snapshot, take the version.
 * Throws a PcxFailure naming the host when crm_mon's XML cannot be read.
 */
export function snapshotFromXml(xml: ClusterXml, what = 'the cluster status'): SnapshotRead {
  const parsed = parseClusterXml(xml);
  if (!parsed.ok) throw new PcxFailure(parsed.error.code, `${what}: ${parsed.error.message}`, parsed.error.hint, parsed.error.host ?? xml.host);
  const snapshot = buildSnapshot(parsed.value.crmMon, parsed.value.cib, { source: xml.host });
  const version = (xml.cibXml !== undefined ? cibVersionOf(xml.cibXml) : undefined) ?? crmMonChangeKey(xml.crmMonXml);
  return { xml, snapshot, ...(parsed.value.cibProblem ? { cibProblem: parsed.value.cibProblem } : {}), version };
}
