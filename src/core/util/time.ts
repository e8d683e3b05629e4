/**
 * The one time formatter. Every time the product shows — tree, tooltips, History, log panes, pcx — is written here:
 * 24-hour, year-month-day order, in the user's time zone (or UTC where asked, `pcx … --utc`), with the zone said
 * once where times are listed (`zoneName`). Cluster times arrive in several spellings (crm_mon's
 * `2026-12-07 14:38:04Z`, Pacemaker 1.1's `Mon Dec  7 14:38:04 2026`, epoch seconds in attributes such as
 * last-lrm-refresh); `parseClusterTime` reads them all, so the same moment reads the same everywhere.
 */

const p2 = (n: number) => String(n).padStart(2, '0');

function parts(t: number, utc: boolean): [number, number, number, number, number, number, number] {
  const d = new Date(t);
  return utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
}

/** "14:33:19.513" (or "14:33:19" without milliseconds) in local time, or UTC. */
export function clockTime(t: number, utc = false, ms = true): string {
  const [, , , h, m, s, milli] = parts(t, utc);
  return `${p2(h)}:${p2(m)}:${p2(s)}${ms ? `.${String(milli).padStart(3, '0')}` : ''}`;
}

/** "2026-12-07 14:38:04" in local time, or UTC. */
export function dateTime(t: number, utc = false): string {
  const [y, mo, d, h, m, s] = parts(t, utc);
  return `${y}-${p2(mo)}-${p2(d)} ${p2(h)}:${p2(m)}:${p2(s)}`;
}

/** The zone times are shown in: "UTC", or the local offset "UTC+09:00" (at `at`, for summer time). */
export function zoneName(utc = false, at = Date.now()): string {
  const offset = utc ? 0 : -new Date(at).getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const a = Math.abs(offset);
  return `UTC${offset > 0 ? '+' : '-'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

/** "2026-12-07 14:38:04 UTC+09:00": a time shown alone, with its zone. */
export function dateTimeWithZone(t: number, utc = false): string {
  return `${dateTime(t, utc)} ${zoneName(utc, t)}`;
}

/**
 * A time as a cluster wrote it: ISO-like (`2026-12-07 14:38:04Z`, `2026-12-07T14:38:04+01:00`), ctime
 * (`Mon Dec  7 14:38:04 2026`, read as UTC: Pacemaker prints those from epoch values in the node's zone, which we
 * do not know), or epoch seconds. Undefined when it is none of them.
 */
export function parseClusterTime(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const v = s.trim();
  if (/^\d{9,11}$/.test(v)) return Number(v) * 1000;
  const iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (iso) {
    const t = Date.parse(`${iso[1]}T${iso[2]}${iso[3] ?? 'Z'}`);
    return Number.isFinite(t) ? t : undefined;
  }
  const ctime = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}) (\d{4})$/.exec(v);
  if (ctime) {
    const t = Date.parse(`${ctime[1]} ${ctime[2]} ${ctime[4]} ${ctime[3]} UTC`);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

/** A cluster's time as the product shows it ("2026-12-07 14:38:04"); text that is no time stays as it is. */
export function clusterTimeText(s: string | undefined, utc = false): string | undefined {
  const t = parseClusterTime(s);
  return t === undefined ? s : dateTime(t, utc);
}

/** Cluster properties and node attributes whose values are epoch seconds (shown as times, the number in the tooltip). */
const EPOCH_NAMES = /^(last-lrm-refresh|shutdown|terminate|last-failure-.+|cluster-recheck-epoch)$/;

/** A property or attribute value as shown: an epoch-valued one as a time, anything else as it is. */
export function attributeValueText(name: string, value: string, utc = false): string {
  if (!EPOCH_NAMES.test(name) || !/^\d{9,11}$/.test(value)) return value;
  return dateTime(Number(value) * 1000, utc);
}

/** Pacemaker's INFINITY (1,000,000) as a word. */
const score = (n: number) => (n >= 1_000_000 ? 'INFINITY' : String(n));

/** "failed 2 times; migration-threshold 1" (a count in words, not "2 of 1"). A failed start or stop counts INFINITY. */
export function failCountText(count: number, threshold?: number): string {
  const times = count >= 1_000_000 ? 'INFINITY times (a failed start or stop)' : count === 1 ? 'once' : `${count} times`;
  return `failed ${times}${threshold !== undefined ? `; migration-threshold ${score(threshold)}` : ''}`;
}
