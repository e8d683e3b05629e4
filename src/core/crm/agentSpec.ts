/** Resource agent specs as written in crm syntax: `class:provider:type`, `class:type`, or a bare `type` (= ocf:heartbeat). */
export interface AgentSpec {
  readonly class: string;
  readonly provider?: string;
  readonly type: string;
}

/** Classes whose agents have providers (only OCF). */
export const CLASSES = ['ocf', 'stonith', 'lsb', 'systemd', 'service', 'upstart', 'nagios'] as const;

export function parseAgent(text: string): AgentSpec {
  const parts = text.split(':');
  if (parts.length >= 3) return { class: parts[0]!, provider: parts[1]!, type: parts.slice(2).join(':') };
  if (parts.length === 2) {
    if (parts[0] === 'ocf') return { class: 'ocf', provider: 'heartbeat', type: parts[1]! };
    return { class: parts[0]!, type: parts[1]! };
  }
  return { class: 'ocf', provider: 'heartbeat', type: text };
}

/** The spelling `crm configure show` prints: `ocf:heartbeat:X` as plain X, everything else in full. */
export function formatAgent(a: { class?: string; provider?: string; type?: string }): string {
  if (!a.class) return a.type ?? '';
  if (a.class === 'ocf' && a.provider === 'heartbeat') return a.type ?? '';
  return a.provider ? `${a.class}:${a.provider}:${a.type ?? ''}` : `${a.class}:${a.type ?? ''}`;
}
