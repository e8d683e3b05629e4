/** corosync.conf checks on membership: the nodelist, quorum (votequorum, two_node, qdevice), cluster_name and legacy 1.x/2.x files. */
import { lineRange } from '../lint/types';
import { addressFamily, type NodeEntry } from './model';
import type { CsPair } from './parser';
import { pairsOf } from './parser';
import { deleteLineEdit, hasTrailingComment, insertPairFix, intOf, isOne, nodeLabel, quorumDevice, replaceValueFix, type Ctx } from './ruleContext';

export function checkNodes(ctx: Ctx): void {
  const { model, doc } = ctx;
  const gen3 = model.generation === 3;
  const knet = model.transport === 'knet';
  const nodelists = model.sections('nodelist');
  if (gen3 && model.nodes.length === 0) {
    const at = nodelists[0]?.nameRange ?? model.sections('totem')[0]?.nameRange ?? lineRange(0, 0, doc.lines[0]?.length ?? 0);
    ctx.report('corosync/nodelist-required', at,
      'No node is listed, so Corosync 3 cannot find the local node ("No valid name found for local host"). Add a `nodelist { node { ring0_addr: … nodeid: … name: … } }` entry for every member.');
  }

  const usedIds = new Set<bigint>();
  for (const n of model.nodes) {
    const id = intOf(n.pairs.get('nodeid'));
    if (id !== undefined) usedIds.add(id);
  }
  let nextId = 1n;
  const freshId = (): bigint => {
    while (usedIds.has(nextId)) nextId++;
    usedIds.add(nextId);
    return nextId;
  };

  const ids = new Map<string, NodeEntry>();
  const names = new Map<string, NodeEntry>();
  const addrs = new Map<string, NodeEntry>();
  const multiLink = new Set(model.nodes.flatMap((n) => [...n.rings.keys()])).size > 1;
  for (const n of model.nodes) {
    const idPair = n.pairs.get('nodeid');
    const ring0 = n.rings.get(0);
    if (!ring0) {
      ctx.report('corosync/node-missing-ring0', n.section.nameRange,
        `${nodeLabel(n)} has no ring0_addr: every node needs at least its link-0 address. Add \`ring0_addr: <IP or name>\`.`);
    }
    const ipv6 = [...n.rings.values()].some((p) => addressFamily(p.value) === 6);
    if (!idPair && ((gen3 && knet) || ipv6) && n.rings.size > 0) {
      const id = freshId();
      ctx.report('corosync/nodeid-missing', n.section.nameRange,
        knet && gen3
          ? `Knet requires an explicit nodeid to be specified for ${nodeLabel(n)}. Add \`nodeid: ${id}\` (unique, 1 to 65535).`
          : `An IPv6 network requires that a node ID be specified for ${nodeLabel(n)}. Add \`nodeid: ${id}\`.`,
        [insertPairFix(doc, n.section, 'nodeid', String(id), `Add nodeid: ${id}`)]);
    }
    const id = intOf(idPair);
    if (idPair && id !== undefined) {
      if (id === 0n) {
        ctx.report('corosync/nodeid-range', idPair.valueRange, 'nodeid 0 is reserved (Corosync treats it as "no nodeid"). Use a unique number from 1.');
      } else if (gen3 && knet && id >= 65536n) {
        ctx.report('corosync/nodeid-range', idPair.valueRange, `Knet requires nodeid to be less than 65536, but it is ${id}. Renumber the nodes (1, 2, 3 …).`);
      }
      const other = ids.get(String(id));
      if (other) {
        ctx.report('corosync/duplicate-nodeid', idPair.valueRange,
          `Nodeid ${id} appears twice in corosync.conf (also ${nodeLabel(other)}, line ${other.section.line + 1}): Corosync refuses to start. Give each node its own id.`);
      } else ids.set(String(id), n);
    }
    const name = n.pairs.get('name');
    if (name) {
      const other = names.get(name.value);
      if (other) {
        ctx.report('corosync/duplicate-node-name', name.valueRange,
          `Node name '${name.value}' is used twice (also line ${other.section.line + 1}): Corosync cannot tell which node is local and Pacemaker merges them. Give each node its own name.`);
      } else names.set(name.value, n);
    } else if (gen3 && knet && multiLink) {
      ctx.report('corosync/multilink-name-missing', n.section.nameRange,
        `For a multi-link configuration, all nodes must have a 'name' attribute; ${nodeLabel(n)} has none. Add \`name: <host name>\`.`);
    }
    for (const [l, p] of n.rings) {
      const key = `${l}\t${p.value}`;
      const other = addrs.get(key);
      if (other) {
        ctx.report('corosync/duplicate-node-address', p.valueRange,
          `Address ${p.value} on link ${l} is also used by ${nodeLabel(other)} (line ${other.section.line + 1}). Give each node its own address on each link.`);
      } else addrs.set(key, n);
    }
  }

  if (gen3 && knet && model.nodes.length > 1) {
    const signature = (n: NodeEntry): string => [...n.rings.keys()].sort((a, b) => a - b).join(',');
    const first = signature(model.nodes[0]);
    for (const n of model.nodes.slice(1)) {
      if (signature(n) !== first) {
        ctx.report('corosync/link-count-mismatch', n.section.nameRange,
          `Not all nodes have the same number of links: ${nodeLabel(n)} has links [${signature(n)}], ${nodeLabel(model.nodes[0])} has [${first}]. Give every node an address on every link.`);
      }
    }
    const families = new Map<number, { fam: 4 | 6; pair: CsPair }>();
    for (const n of model.nodes) {
      for (const [l, p] of n.rings) {
        const fam = addressFamily(p.value);
        if (!fam) continue;
        const seen = families.get(l);
        if (!seen) families.set(l, { fam, pair: p });
        else if (seen.fam !== fam) {
          ctx.report('corosync/link-ip-family', p.valueRange,
            `Nodes for link ${l} have different IP families (${p.value} is IPv${fam}, ${seen.pair.value} on line ${seen.pair.line + 1} is IPv${seen.fam}). Use one family per link.`);
        }
      }
    }
  }
}

export function checkQuorum(ctx: Ctx): void {
  const { model, doc } = ctx;
  const quorums = model.sections('quorum');
  if (quorums.length === 0) return;
  const provider = model.get('quorum', 'provider');
  if (!provider) {
    ctx.report('corosync/quorum-no-provider', quorums[0].nameRange,
      'This quorum section has no provider, so Corosync computes no quorum at all and Pacemaker runs everything everywhere after a split. Add `provider: corosync_votequorum`.',
      [insertPairFix(doc, quorums[0], 'provider', 'corosync_votequorum', 'Add provider: corosync_votequorum')]);
    return;
  }
  if (provider.value !== 'corosync_votequorum') return; // reported by the enum check

  const nodeCount = model.nodes.length;
  const nodeVotes = model.nodes.reduce((sum, n) => sum + (intOf(n.pairs.get('quorum_votes')) ?? 1n), 0n);
  const expectedPair = model.get('quorum', 'expected_votes');
  // votequorum treats expected_votes: 0 as "not set".
  const expected = intOf(expectedPair) || undefined;
  const twoNode = model.get('quorum', 'two_node');
  const wfa = model.get('quorum', 'wait_for_all');
  const atb = model.get('quorum', 'auto_tie_breaker');
  const lms = model.get('quorum', 'last_man_standing');
  const device = quorumDevice(model);
  const at = quorums[0].nameRange;

  if (nodeCount === 0 && !expected) {
    ctx.report('corosync/quorum-no-votes', at,
      'configuration error: nodelist or quorum.expected_votes must be configured! votequorum refuses to start without one. Add a nodelist (preferred) or `expected_votes`.');
  }
  if (expectedPair && expected !== undefined && nodeCount > 0 && expected !== nodeVotes) {
    ctx.report('corosync/expected-votes-mismatch', expectedPair.valueRange,
      `expected_votes is ${expected} but the nodelist holds ${nodeVotes} vote(s); expected_votes overrides the nodelist, so quorum is computed from ${expected}. Remove expected_votes (it is derived from the nodelist) or make them agree.`,
      [{ title: 'Remove expected_votes', preferred: true, edits: [deleteLineEdit(doc, expectedPair.line)] }]);
  }

  const count = nodeCount > 0 ? nodeCount : expected !== undefined ? Number(expected) : undefined;
  if (isOne(twoNode) && twoNode) {
    if (!wfa) {
      ctx.report('corosync/two-node-implicit-wait-for-all', twoNode.keyRange,
        'two_node: 1 also turns on wait_for_all: after a full stop, the cluster becomes quorate only once both nodes have been seen together. Write `wait_for_all: 1` to make that visible, or 0 to opt out deliberately.');
    } else if (intOf(wfa) === 0n) {
      ctx.report('corosync/two-node-wait-for-all', wfa.range,
        'wait_for_all: 0 with two_node: 1: after a split or a cold start each node may become quorate alone, start the resources and fence the other (or, without fencing, run them twice). Remove this line unless fencing is configured and you want a lone node to start.',
        [{ title: 'Remove wait_for_all: 0 (two_node then enables it)', preferred: true, edits: [deleteLineEdit(doc, wfa.line)] }]);
    }
    if (count !== undefined && count !== 2) {
      ctx.report('corosync/two-node-node-count', twoNode.range,
        `two_node: 1 only works with exactly 2 nodes, and this cluster has ${count}: it has no effect. Remove it.`,
        [{ title: 'Remove two_node', preferred: true, edits: [deleteLineEdit(doc, twoNode.line)] }]);
    }
    if (device) {
      ctx.report('corosync/two-node-qdevice', twoNode.range,
        'configuration error: two_node and quorum device cannot be configured at the same time! The device already breaks ties: remove two_node.',
        [{ title: 'Remove two_node', preferred: true, edits: [deleteLineEdit(doc, twoNode.line)] }]);
    }
    if (isOne(atb)) {
      ctx.report('corosync/two-node-auto-tie-breaker', twoNode.range,
        'two_node and auto_tie_breaker are not compatible: votequorum disables two_node at start. Keep one: two_node (with fencing) or auto_tie_breaker.');
    }
  } else if (nodeCount === 2 && !device && !isOne(atb) && !twoNode) {
    ctx.report('corosync/two-node-missing', at,
      'A 2-node cluster without two_node, a quorum device or auto_tie_breaker needs both nodes for quorum: losing either one stops all resources. Add `two_node: 1` (with fencing) or a quorum device.',
      [insertPairFix(doc, quorums[0], 'two_node', '1', 'Add two_node: 1')]);
  }

  const wfaOn = wfa ? isOne(wfa) : isOne(twoNode);
  const odd = count !== undefined && count % 2 === 1;
  if (isOne(atb) && atb && odd && !wfaOn) {
    if (isOne(lms)) {
      ctx.report('corosync/atb-lms-odd', atb.range,
        'configuration error: auto_tie_breaker & last_man_standing not available in odd sized cluster without wait_for_all: Corosync will not start. Add `wait_for_all: 1` or drop last_man_standing.');
    } else {
      ctx.report('corosync/atb-odd-without-wfa', atb.range,
        'auto_tie_breaker in an odd-sized cluster needs wait_for_all; without it votequorum disables auto_tie_breaker at start. Add `wait_for_all: 1`.');
    }
  }
  const atbNode = model.get('quorum', 'auto_tie_breaker_node');
  if (atbNode && !isOne(atb)) {
    ctx.report('corosync/atb-node-without-atb', atbNode.keyRange, 'auto_tie_breaker_node has no effect without `auto_tie_breaker: 1`. Enable it or remove this line.');
  }
  if (isOne(lms) && lms && !wfaOn) {
    ctx.report('corosync/lms-without-wfa', lms.range, 'last_man_standing without wait_for_all lets a restarted minority become quorate. Add `wait_for_all: 1` (votequorum(5) calls it essential).');
  }

  if (device) {
    const conflicts = (['last_man_standing', 'auto_tie_breaker', 'allow_downscale'] as const).filter((k) => isOne(model.get('quorum', k)));
    for (const k of conflicts) {
      const p = model.get('quorum', k) as CsPair;
      ctx.report('corosync/qdevice-incompatible', p.range,
        `configuration error: quorum.device is not compatible with ${k}; votequorum disables the device. Remove ${k} or the device.`);
    }
    const votesPair = pairsOf(device).filter((p) => p.key === 'votes').pop();
    const unequal = model.nodes.some((n) => (intOf(n.pairs.get('quorum_votes')) ?? 1n) !== 1n);
    if (!votesPair && (expectedPair || unequal)) {
      ctx.report('corosync/qdevice-votes-required', device.nameRange,
        `configuration error: quorum.device.votes must be specified when ${expectedPair ? 'quorum.expected_votes is set' : 'not all nodes votes 1'}. Add \`votes:\` to the device.`);
    }
    const algorithm = model.get('quorum.device.net', 'algorithm')?.value ?? 'ffsplit';
    if (algorithm === 'ffsplit' && votesPair && intOf(votesPair) !== 1n) {
      ctx.report('corosync/qdevice-ffsplit-votes', votesPair.valueRange, `The ffsplit algorithm needs the device to have exactly 1 vote, not ${votesPair.value}. Set \`votes: 1\` or remove it.`,
        [replaceValueFix(votesPair, '1', 'Set votes: 1')]);
    }
  }
}

export function checkClusterName(ctx: Ctx): void {
  const p = ctx.model.get('totem', 'cluster_name');
  if (!p || hasTrailingComment(p)) return;
  if (p.value.length > 32 || !/^[A-Za-z0-9_-]+$/.test(p.value)) {
    ctx.report('corosync/cluster-name', p.valueRange,
      `cluster_name '${p.value}' ${p.value.length > 32 ? 'is longer than 32 characters' : 'has characters outside A-Z a-z 0-9 _ -'}: GFS2 and DLM cannot use it. Choose a short name of letters, digits, '_' and '-'.`);
  }
}

export function checkLegacy(ctx: Ctx): void {
  const { model, doc } = ctx;
  if (model.generation === 2 && model.generationGuessed && model.oneX) {
    const first = doc.lines.findIndex((l) => /\S/.test(l) && !/^\s*#/.test(l));
    const line = Math.max(0, first);
    ctx.report('corosync/legacy-config', lineRange(line, 0, doc.lines[line]?.length ?? 0),
      'This looks like a Corosync 1.x/2.x file (ringnumber, rrp_mode, member or service blocks), so Corosync-3 rules are skipped. Corosync 3 would not start with it: it needs knet-style `nodelist {}` entries with nodeid. Lint with --corosync-version 3 to see every difference.');
  }
}
