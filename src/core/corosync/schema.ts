/**
 * What Corosync 3.x understands in corosync.conf: sections, keys, types, defaults, valid values and
 * a short explanation of each (our own words, after corosync.conf(5), votequorum(5),
 * corosync-qdevice(8) and the value checks in exec/coroparse.c, exec/totemconfig.c, exec/logconfig.c
 * of Corosync 3.1). Drives completion, hover and the value rules.
 */
import type { CorosyncRuleCode } from './ruleTable';

export type ValueType = 'uint8' | 'uint16' | 'uint32' | 'int32' | 'uint64' | 'enum' | 'string' | 'bool01';

export interface KeySpec {
  readonly doc: string;
  readonly type: ValueType;
  readonly values?: readonly string[];
  readonly default?: string;
  /** Rule code reported for a value outside `values`; `corosync/invalid-value` when absent. */
  readonly enumRule?: CorosyncRuleCode;
  /** Set for keys Corosync 3 no longer reads: what to do instead. */
  readonly obsolete?: string;
  /** Shown in completion as a hint of the usual value. */
  readonly example?: string;
}

export interface SectionSpec {
  readonly doc: string;
  readonly keys: Readonly<Record<string, KeySpec>>;
  /** Key families like `ring0_addr` … `ring7_addr` or heuristics `exec_<name>`. */
  readonly keyPatterns?: readonly { readonly pattern: RegExp; readonly label: string; readonly spec: KeySpec }[];
  readonly sections?: readonly string[];
  /** Set for sections Corosync 3 ignores (Corosync 1.x/2.x leftovers): what to do instead. */
  readonly obsolete?: string;
  /** Sections like `resources` whose content we do not model: no unknown-key warnings inside. */
  readonly open?: boolean;
}

const yesNo = ['yes', 'no'] as const;
const onOff = ['on', 'off'] as const;
const priorities = ['alert', 'crit', 'debug', 'emerg', 'err', 'info', 'notice', 'warning'] as const;
const facilities = [
  'daemon', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
  'auth', 'authpriv', 'cron', 'ftp', 'kern', 'lpr', 'mail', 'news', 'syslog', 'user', 'uucp',
] as const;

const u32 = (doc: string, def?: string): KeySpec => ({ doc, type: 'uint32', default: def });
const en = (doc: string, values: readonly string[], def?: string, enumRule?: CorosyncRuleCode): KeySpec => ({
  doc, type: 'enum', values, default: def, enumRule,
});
const str = (doc: string, def?: string, example?: string): KeySpec => ({ doc, type: 'string', default: def, example });
const flag = (doc: string, def = '0'): KeySpec => ({ doc, type: 'bool01', default: def, values: ['0', '1'] });

/** Logging keys valid at top level and inside `logger_subsys` (logconfig.c). */
const loggingCommon: Record<string, KeySpec> = {
  to_stderr: en('Send log messages to standard error.', yesNo, 'yes', 'corosync/logging-value'),
  to_logfile: en('Write log messages to the file named by `logfile`.', yesNo, 'no', 'corosync/logging-value'),
  to_syslog: en('Send log messages to syslog (the journal on systemd hosts).', yesNo, 'yes', 'corosync/logging-value'),
  logfile: str('Path of the log file used when `to_logfile: yes`. The directory must exist or Corosync refuses to start.', undefined, '/var/log/cluster/corosync.log'),
  logfile_priority: en('Lowest priority written to the log file. Ignored while `debug` is on.', priorities, 'info', 'corosync/logging-value'),
  syslog_facility: en('Syslog facility used for messages sent to syslog.', facilities, 'daemon', 'corosync/logging-value'),
  syslog_priority: en('Lowest priority sent to syslog. Ignored while `debug` is on.', priorities, 'info', 'corosync/logging-value'),
  debug: en('Log debug messages (very verbose); `trace` logs even more.', ['on', 'off', 'trace'], 'off', 'corosync/logging-value'),
  to_file: { ...en('Old name of `to_logfile`.', yesNo, undefined, 'corosync/logging-value'), obsolete: 'Use `to_logfile` instead.' },
  syslog_level: { ...en('Old name of `syslog_priority`.', priorities, undefined, 'corosync/logging-value'), obsolete: 'Use `syslog_priority` instead.' },
};

export const schema: Readonly<Record<string, SectionSpec>> = {
  '': {
    doc: 'Top level of corosync.conf.',
    keys: {
      compatibility: { ...str('Corosync 1.x compatibility level.'), obsolete: 'Corosync 2 and later ignore it; remove the line.' },
    },
    sections: ['totem', 'logging', 'quorum', 'nodelist', 'system', 'resources', 'nozzle', 'uidgid'],
  },
  totem: {
    doc: 'Totem protocol: transport, links, encryption and membership timers. Must carry `version: 2`.',
    sections: ['interface'],
    keys: {
      version: { doc: 'Version of the configuration format. Only 2 is valid, and it is required.', type: 'uint32', values: ['2'], example: '2' },
      cluster_name: str('Name of the cluster. Pacemaker shows it; with `transport: udp` it also derives the multicast address. Keep it to letters, digits, `_` and `-`, at most 32 characters (GFS2/DLM use it).', undefined, 'mycluster'),
      transport: en('How nodes talk to each other: `knet` (Kronosnet, the default since Corosync 3: several links, encryption), `udpu` (UDP unicast) or `udp` (multicast). udp/udpu are kept for compatibility only.', ['knet', 'udpu', 'udp'], 'knet', 'corosync/transport-invalid'),
      crypto_cipher: en('Encryption of cluster traffic: none, aes256, aes192 or aes128. Needs `crypto_hash` other than none, the knet transport, and the same /etc/corosync/authkey on every node.', ['none', 'aes256', 'aes192', 'aes128'], 'none', 'corosync/crypto-invalid'),
      crypto_hash: en('Authentication (HMAC) of cluster traffic: none, md5, sha1, sha256, sha384 or sha512. knet transport only.', ['none', 'md5', 'sha1', 'sha256', 'sha384', 'sha512'], 'none', 'corosync/crypto-invalid'),
      crypto_model: str('Crypto library knet uses (typically nss or openssl).', 'nss'),
      secauth: { ...en('Old switch for encryption: `on` means aes256 + sha256 unless crypto_cipher/crypto_hash say otherwise.', onOff, 'off'), obsolete: 'Set `crypto_cipher` and `crypto_hash` explicitly instead.' },
      keyfile: str('Path of the shared key for encryption and authentication.', '/etc/corosync/authkey'),
      key: str('Shared key written inline instead of a key file. Not recommended: the key ends up in a world-readable file and in backups.'),
      link_mode: en('How knet uses several links: `passive` (highest-priority link that is up), `active` (all links at once) or `rr` (round robin).', ['passive', 'active', 'rr'], 'passive', 'corosync/link-mode-invalid'),
      ip_version: en('Address family asked from the resolver: ipv4, ipv6, ipv4-6 or ipv6-4 (prefer the first, fall back to the second).', ['ipv4', 'ipv6', 'ipv4-6', 'ipv6-4'], 'ipv6-4 (knet, udpu), ipv4 (udp)', 'corosync/ip-version-invalid'),
      netmtu: u32('Largest packet Corosync sends. Mostly for udp/udpu; for knet use `knet_mtu`.', '1500 (udp/udpu), 65536 (knet)'),
      config_version: { doc: 'Version number of this file. When not 0, a node whose value is lower than the rest of the cluster refuses to join on first start.', type: 'uint64', default: '0' },
      clear_node_high_bit: en('Keep generated node ids positive as signed 32-bit numbers (only when nodeids are generated from IPv4 addresses).', yesNo, 'no'),
      token: u32('Milliseconds without the token before a node is declared lost: how long a failure takes to detect. With 3 or more nodes the effective value grows by `token_coefficient` per extra node. Use the same value on every node.', '3000'),
      token_coefficient: u32('Added to `token` for every node beyond two (nodelist of 3+ nodes). 0 turns this off.', '650'),
      token_warning: u32('Percentage of the token timeout after which a "token not received" warning is logged; 0 disables it.', '75'),
      token_retransmit: u32('Milliseconds before the token is retransmitted; computed from `token` when unset.', '238 (two nodes)'),
      token_retransmits_before_loss_const: u32('Token retransmissions attempted before a new membership is formed.', '4'),
      hold: u32('Milliseconds the token is held when the cluster is idle.', '180'),
      join: u32('Milliseconds to wait for join messages during membership changes.', '50'),
      send_join: u32('Upper bound of a random delay (ms) before sending a join message; only for large clusters.', '0'),
      consensus: u32('Milliseconds to wait for consensus before starting a new membership round. Must be at least `join`; should be at least 1.2 × the effective token timeout.', '1.2 × token'),
      merge: u32('Milliseconds between checks for a partition when there is no traffic.', '200'),
      downcheck: u32('Milliseconds between checks whether a downed interface is back.', '1000'),
      fail_recv_const: u32('Token rotations without expected messages before a new membership is formed.', '2500'),
      seqno_unchanged_const: u32('Token rotations without traffic before the hold timer starts.', '30'),
      heartbeat_failures_allowed: u32('Enables the heartbeat failure detector and sets how many heartbeat failures are tolerated; 0 disables it.', '0'),
      max_network_delay: u32('Approximate network delay (ms) used by the heartbeat failure detector.', '50'),
      window_size: u32('Maximum messages sent in one token rotation.', '50'),
      max_messages: u32('Maximum messages one node sends when it holds the token.', '17'),
      miss_count_const: u32('Times a message is checked for retransmission before it is retransmitted.', '5'),
      knet_pmtud_interval: u32('Seconds between knet path-MTU discovery runs.', '30'),
      knet_mtu: u32('Fixed knet MTU; 0 means automatic discovery.', '0'),
      knet_compression_model: str('Compression used by knet (e.g. zlib, lz4), or none.', 'none'),
      knet_compression_threshold: u32('Packets smaller than this many bytes are not compressed.', '100'),
      knet_compression_level: { doc: 'Compression level passed to the compression library.', type: 'int32' },
      block_unlisted_ips: en('Drop packets from addresses that are not in the nodelist (protects against stale nodes rejoining).', yesNo, 'yes'),
      cancel_token_hold_on_retransmit: en('Never hold the token while messages are being retransmitted.', yesNo, 'no'),
      cluster_uuid: str('Unique id of the cluster written by pcs 0.11+; Corosync itself does not use it.'),
      threads: { ...u32('Corosync 1.x/2.x encryption threads.'), obsolete: 'Corosync 3 ignores it; remove the line.' },
      nodeid: { ...u32('Corosync 2.x node id of the local node.'), obsolete: 'Corosync 3 ignores it: set `nodeid` in each `nodelist { node { } }` instead.' },
      rrp_mode: { ...str('Corosync 2.x redundant ring protocol mode (none, active, passive).'), obsolete: 'Corosync 3 ignores it: with knet, several links are redundant by themselves; use `link_mode` to choose how they are used.' },
      vsftype: { ...str('Corosync 1.x virtual synchrony filter.'), obsolete: 'Corosync 2 and later ignore it; remove the line.' },
    },
  },
  'totem.interface': {
    doc: 'Settings of one network link (knet) or of the single ring (udp/udpu). Optional with a nodelist.',
    sections: ['member'],
    keys: {
      linknumber: { doc: 'Link this block configures, 0 to 7 (knet); udp/udpu only have link 0.', type: 'uint8', default: '0', example: '0' },
      ringnumber: { doc: 'Corosync 2.x name of `linknumber`.', type: 'uint8', obsolete: 'Corosync 3 ignores `ringnumber` (every interface block becomes link 0): rename it to `linknumber`.' },
      knet_link_priority: { doc: 'Priority of this link in `link_mode: passive`; the highest number wins.', type: 'uint8', default: '1' },
      knet_ping_interval: u32('Milliseconds between knet pings on this link. Set together with `knet_ping_timeout`.', 'token / (knet_pong_count × 2)'),
      knet_ping_timeout: u32('Milliseconds without a ping reply before the link is declared down. Set together with `knet_ping_interval`.', 'token / knet_pong_count'),
      knet_ping_precision: u32('Number of samples used for the average link latency.', '2048'),
      knet_pong_count: u32('Successful pings needed before a link is marked up.', '2'),
      knet_transport: en('IP protocol knet uses on this link: udp, or sctp (deprecated).', ['udp', 'sctp'], 'udp', 'corosync/knet-transport'),
      bindnetaddr: str('udp only: address or network to bind to. Not needed with a nodelist.'),
      broadcast: en('udp only: use broadcast instead of multicast.', yesNo, 'no'),
      mcastaddr: str('udp only: multicast address (derived from cluster_name when unset).'),
      mcastport: { doc: 'UDP port; Corosync also uses the port below it.', type: 'uint16', default: '5405' },
      ttl: { doc: 'udp only: multicast time-to-live, 0 to 255.', type: 'uint8', default: '1' },
    },
  },
  'totem.interface.member': {
    doc: 'Corosync 1.x/2.x udpu member list.',
    obsolete: 'Corosync 3 does not read `member {}` blocks: list the nodes in `nodelist { node { ring0_addr: … } }`.',
    keys: { memberaddr: str('Address of one member.') },
  },
  logging: {
    doc: 'Where and how much Corosync logs.',
    sections: ['logger_subsys'],
    keys: {
      ...loggingCommon,
      timestamp: en('Prefix log lines with a timestamp: on (seconds), hires (milliseconds) or off.', ['on', 'off', 'hires'], 'hires', 'corosync/logging-value'),
      fileline: en('Print source file and line in log messages.', onOff, 'off', 'corosync/logging-value'),
      function_name: en('Print the function name in log messages.', onOff, 'off', 'corosync/logging-value'),
      blackbox: en('Keep the in-memory flight recorder (read it with corosync-blackbox).', onOff, 'on', 'corosync/logging-value'),
    },
  },
  'logging.logger_subsys': {
    doc: 'Logging overrides for one subsystem, named by `subsys` (required).',
    keys: {
      subsys: str('Subsystem these settings apply to, e.g. QUORUM, KNET, TOTEM, CPG. Required.', undefined, 'QUORUM'),
      ...loggingCommon,
    },
  },
  quorum: {
    doc: 'Quorum: which partition may run services. Use `provider: corosync_votequorum` (see votequorum(5)).',
    sections: ['device'],
    keys: {
      provider: en('Quorum algorithm. Only corosync_votequorum exists; without a provider there is no quorum at all.', ['corosync_votequorum'], undefined, 'corosync/quorum-provider'),
      expected_votes: u32('Total votes expected in the cluster. Computed from the nodelist when absent; when set it overrides the nodelist.'),
      votes: u32('Votes of this node when there is no nodelist.', '1'),
      two_node: flag('Two-node mode: quorum is set to 1 so the surviving node keeps running when the other fails (fencing decides who survives). Turns on `wait_for_all` unless that is set explicitly. Only has effect with exactly 2 nodes.'),
      wait_for_all: flag('The cluster becomes quorate for the first time only after all nodes have been seen together once. Enabled automatically by `two_node: 1`; setting it to 0 then lets each node of a split 2-node cluster start alone.'),
      last_man_standing: flag('Recalculate expected votes after nodes have been gone for `last_man_standing_window`, so the cluster can shrink step by step. Use with `wait_for_all`.'),
      last_man_standing_window: u32('Milliseconds to wait before recalculating expected votes under last_man_standing.', '10000'),
      auto_tie_breaker: flag('On an even split, the half holding the tie-breaker node (lowest node id by default) stays quorate. Incompatible with two_node and with a quorum device.'),
      auto_tie_breaker_node: str('Which node breaks ties for auto_tie_breaker: lowest, highest, or a space-separated list of node ids.', 'lowest'),
      allow_downscale: flag('Lower expected votes when nodes leave cleanly (unsupported, incomplete feature).'),
      expected_votes_tracking: flag('Remember the highest expected votes seen on disk and never go below it.'),
      leaving_timeout: u32('Milliseconds to wait for a leaving node before its votes are dropped.'),
    },
  },
  'quorum.device': {
    doc: 'Quorum device (corosync-qdevice): an extra vote from a third site, usually qnetd. Not compatible with two_node.',
    sections: ['net', 'heuristics'],
    keys: {
      model: en('Quorum device model; `net` talks to corosync-qnetd.', ['net'], undefined, 'corosync/invalid-value'),
      votes: u32('Votes the device provides. Required when `expected_votes` is set; must be 1 with the ffsplit algorithm.'),
      timeout: u32('Milliseconds between device health checks.', '10000'),
      sync_timeout: u32('Health-check interval (ms) while membership changes.', '30000'),
      master_wins: { ...flag('Old qdevice option.'), obsolete: 'Not used by corosync-qdevice 3; remove the line.' },
    },
  },
  'quorum.device.net': {
    doc: 'Connection to corosync-qnetd.',
    keys: {
      host: str('Address or name of the qnetd server. Required.'),
      port: { doc: 'TCP port of qnetd.', type: 'uint16', default: '5403' },
      algorithm: en('How qnetd decides: ffsplit (50:50 splits, the usual choice) or lms (last man standing).', ['ffsplit', 'lms'], 'ffsplit', 'corosync/invalid-value'),
      tie_breaker: str('Which partition wins a tie: lowest, highest, or a node id.', 'lowest'),
      tls: en('Use TLS towards qnetd: on, off or required.', ['on', 'off', 'required'], 'on', 'corosync/invalid-value'),
      connect_timeout: u32('Milliseconds to wait for qnetd to answer.'),
      force_ip_version: en('Force the address family for the qnetd host: 0 (any), 4 or 6.', ['0', '4', '6'], '0', 'corosync/invalid-value'),
      keep_active_partition_tie_breaker: en('In a tie, keep the partition that currently runs resources.', onOff, 'off', 'corosync/invalid-value'),
    },
  },
  'quorum.device.heuristics': {
    doc: 'Commands qdevice runs to decide whether this node deserves the device vote.',
    keys: {
      mode: en('When heuristics run: off, on, or sync (only on membership changes).', ['off', 'on', 'sync'], 'off', 'corosync/invalid-value'),
      timeout: u32('Milliseconds allowed for the commands.'),
      sync_timeout: u32('Milliseconds allowed during membership changes.'),
      interval: u32('Milliseconds between runs.'),
    },
    keyPatterns: [{ pattern: /^exec_\S+$/, label: 'exec_NAME', spec: str('A command to run; it must exit 0 for the heuristic to pass.') }],
  },
  nodelist: {
    doc: 'Every cluster member, one `node {}` each. Required by knet and udpu.',
    sections: ['node'],
    keys: {},
  },
  'nodelist.node': {
    doc: 'One cluster member: its addresses (one per link), `nodeid` and `name`.',
    keys: {
      nodeid: u32('Numeric id of the node, unique in the cluster. Required with knet (1 to 65535); 0 is reserved.'),
      name: str('Node name; must match the host name so the node can find itself. Pacemaker uses it as the node name.'),
      quorum_votes: u32('Votes this node contributes.', '1'),
    },
    keyPatterns: [
      {
        pattern: /^ring\d+_addr$/,
        label: 'ringX_addr',
        spec: str('Address (or resolvable name) of this node on link X (0 to 7). ring0_addr is required; with knet, ring1_addr … ring7_addr add redundant links.'),
      },
    ],
  },
  system: {
    doc: 'Process-level options.',
    keys: {
      qb_ipc_type: en('IPC mechanism for clients: native, shm or socket.', ['native', 'shm', 'socket'], 'native', 'corosync/invalid-value'),
      sched_rr: en('Run with round-robin realtime scheduling.', yesNo, 'yes', 'corosync/invalid-value'),
      priority: str('Process priority when sched_rr is no: a nice value, `max` or `min`.'),
      move_to_root_cgroup: en('Move Corosync to the root cgroup so realtime scheduling works: yes, no or auto.', ['yes', 'no', 'auto'], 'auto', 'corosync/invalid-value'),
      allow_knet_handle_fallback: en('Allow knet to fall back to unprivileged operation (containers).', yesNo, 'no', 'corosync/invalid-value'),
      state_dir: str('Directory for state files and blackbox dumps.', '/var/lib/corosync'),
    },
  },
  resources: {
    doc: 'Watchdog and resource monitoring options.',
    open: true,
    keys: {
      watchdog_timeout: u32('Seconds before the watchdog fires.'),
      watchdog_device: str('Watchdog device, or off.'),
    },
  },
  nozzle: {
    doc: 'A virtual network interface (libnozzle) on top of the knet links.',
    keys: {
      name: str('Interface name.'),
      ipaddr: str('Address assigned on every node; the last part is replaced by the node id.'),
      ipprefix: str('Prefix length of ipaddr.'),
      macaddr: str('MAC address prefix.'),
    },
  },
  uidgid: {
    doc: 'Users and groups allowed to connect to Corosync IPC.',
    keys: { uid: str('User name or id.'), gid: str('Group name or id.') },
  },
};

/** Corosync 1.x/2.x top-level sections Corosync 3 silently ignores. */
export const obsoleteSections: Readonly<Record<string, string>> = {
  aisexec: 'Corosync 1.x `aisexec {}` is ignored by Corosync 2 and later; remove it.',
  service: 'Corosync 1.x `service {}` (plugin loading) is ignored by Corosync 2 and later; Pacemaker starts as its own service.',
  amf: 'Corosync 1.x `amf {}` is ignored by Corosync 2 and later; remove it.',
  event: 'Corosync 1.x `event {}` is ignored by Corosync 2 and later; remove it.',
};

export function sectionSpec(path: string): SectionSpec | undefined {
  return schema[path];
}

/** The spec for `key` in section `path`, including key families such as `ring1_addr`. */
export function keySpec(path: string, key: string): KeySpec | undefined {
  const s = schema[path];
  if (!s) return undefined;
  if (Object.hasOwn(s.keys, key)) return s.keys[key];
  return s.keyPatterns?.find((p) => p.pattern.test(key))?.spec;
}

export const integerRanges: Readonly<Record<string, readonly [bigint, bigint]>> = {
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  int32: [-2147483648n, 2147483647n],
  uint64: [0n, 18446744073709551615n],
  bool01: [0n, 255n],
};

/**
 * Parses an integer the way Corosync does (coroparse.c safe_atoq: strtoll base 10, nothing may
 * follow the digits). strtoll skips leading white space and takes a sign. Undefined = refused.
 */
export function parseCorosyncInteger(value: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(value);
  return m ? BigInt(m[1]) : undefined;
}
