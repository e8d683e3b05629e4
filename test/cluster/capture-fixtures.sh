#!/usr/bin/env bash
# Captures real crm_mon and CIB XML from the test cluster in a handful of states, for the parsers' unit tests:
#   test/fixtures/live/<state>.crm_mon.xml   `crm_mon --one-shot --inactive --output-as=xml` (the product's argv)
#   test/fixtures/live/<state>.cib.xml       `cibadmin --query --local`
#   test/fixtures/live/pacemaker-stopped.txt crm_mon on a node whose pacemaker is stopped: exit code + stdout + stderr
#   test/fixtures/live/README.md             origin: Pacemaker version, date, commands, what each state is
# States: healthy, failed-action, standby, maintenance, node-offline. Each is made with the commands a user
# types (listed in the README), awaited with a deadline, captured over ssh, and undone; the cluster is left in seed.
# Run as root: bash test/cluster/capture-fixtures.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/test/fixtures/live
CLUSTER=(bash "$HERE/cluster.sh")
STATE=${PCX_CLUSTER_STATE:-/var/lib/pcx-test-cluster}
CRM_MON=(crm_mon --one-shot --inactive --output-as=xml)
CIB=(cibadmin --query --local)

log() { printf '[capture %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
on() { local n=$1; shift; ssh -F "$STATE/ssh_config" "$n" -- "$@"; }
summary() { on "$1" "${CRM_MON[@]}" 2>/dev/null | /usr/bin/python3 "$HERE/crm-summary.py" || true; }

# until_state SECS "description" NODE key=value|key!=value…   — polls crm_mon on NODE until all of them hold.
until_state() {
  local secs=$1 what=$2 node=$3 s kv ok
  shift 3
  local deadline=$(( $(date +%s) + secs ))
  while :; do
    s=$(summary "$node")
    ok=1
    for kv in "$@"; do
      if [[ $kv == *!=* ]]; then grep -qx -- "${kv/!=/=}" <<<"$s" && { ok=0; break; }
      else grep -qx -- "$kv" <<<"$s" || { ok=0; break; }; fi
    done
    (( ok )) && return 0
    if (( $(date +%s) >= deadline )); then
      echo "[capture] timed out after ${secs}s waiting for: $what; last seen: $(tr '\n' ' ' <<<"$s")" >&2
      exit 1
    fi
    sleep 0.5
  done
}

declare -a ROWS=()
capture() {   # capture STATE NODE "how it was made"
  local state=$1 node=$2 how=$3
  on "$node" "${CRM_MON[@]}" >"$OUT/$state.crm_mon.xml"
  on "$node" "${CIB[@]}" >"$OUT/$state.cib.xml"
  log "captured $state from $node ($(wc -c <"$OUT/$state.crm_mon.xml") + $(wc -c <"$OUT/$state.cib.xml") bytes)"
  ROWS+=("| \`$state\` | $node | $how |")
}

mkdir -p "$OUT"
"${CLUSTER[@]}" ensure seed
version=$(on node1 pacemakerd --version | head -1)
corosync_version=$(on node1 corosync -v | head -1)
pcs_version=$(on node1 pcs --version)

log "healthy"
capture healthy node1 "the seed state: node1 Promoted, node2 Unpromoted, VIP on node1"

log "failed-action: node1# pkill -KILL -x redis-server"
on node1 pkill -KILL -x redis-server
until_state 60 "node2 Promoted, VIP on node2, a failed action" node2 promoted=node2 vip=node2 failures!=0
capture failed-action node2 "\`pkill -KILL -x redis-server\` on node1, after the failover settled, before any cleanup"
"${CLUSTER[@]}" ensure seed

log "standby: node1# pcs node standby node2"
on node1 pcs node standby node2
until_state 60 "node2 in standby with its redis stopped" node1 standby=node2 promoted=node1 unpromoted= vip=node1
capture standby node1 "\`pcs node standby node2\`"
on node1 pcs node unstandby node2
"${CLUSTER[@]}" ensure seed

log "maintenance: node1# pcs property set maintenance-mode=true"
on node1 pcs property set maintenance-mode=true
until_state 30 "cluster maintenance-mode=true" node1 cluster_maintenance=true
capture maintenance node1 "\`pcs property set maintenance-mode=true\` (resources unmanaged, still running)"
on node1 pcs property unset maintenance-mode
"${CLUSTER[@]}" ensure seed

log "node-offline: node2# pcs cluster stop (stops pacemaker, then corosync)"
on node2 pcs cluster stop >/dev/null
until_state 90 "node2 offline" node1 online=node1 offline=node2 promoted=node1 vip=node1
capture node-offline node1 "\`pcs cluster stop\` on node2 (pacemaker and corosync stopped there); seen from node1"
log "pacemaker-stopped: node2# ${CRM_MON[*]}"
set +e
stopped_out=$(on node2 "${CRM_MON[@]}" 2>"$STATE/crm_mon.err")
stopped_rc=$?
set -e
{
  echo "# command (over ssh, on node2): ${CRM_MON[*]}"
  echo "# state: pacemaker and corosync stopped on node2 (pcs cluster stop); node1 running"
  echo "# $version, captured $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# exit code: $stopped_rc"
  echo "# --- stdout ---"
  printf '%s\n' "$stopped_out"
  echo "# --- stderr ---"
  cat "$STATE/crm_mon.err"
} >"$OUT/pacemaker-stopped.txt"
log "pacemaker-stopped: exit code $stopped_rc"
on node2 pcs cluster start >/dev/null
"${CLUSTER[@]}" ensure seed

{
  cat <<EOF
# Live fixtures from the real test cluster

Captured by \`bash test/cluster/capture-fixtures.sh\` (as root) from the 2-node test cluster of
\`test/cluster/cluster.sh\` in the seed state (the reference user's setup made with pcs: promotable
\`ocf:heartbeat:redis\` clone \`redis-clone\`, IPaddr2 \`VIP\` 10.213.0.100 colocated with the Promoted role,
stonith-enabled=false, resource-stickiness=INFINITY, migration-threshold=1, two_node: 1), then put in each state.

- Software: $version; $corosync_version; pcs $pcs_version (Debian 12 packages).
- Captured: $(date -u +%Y-%m-%dT%H:%MZ).
- Commands, over ssh as root on the node named below:
  \`<state>.crm_mon.xml\` = \`${CRM_MON[*]}\`, \`<state>.cib.xml\` = \`${CIB[*]}\`.
- Nodes node1 (10.213.0.11), node2 (10.213.0.12); cluster name cluster1. Nothing secret is in these files.

| state | captured on | how the state was made |
|---|---|---|
EOF
  printf '%s\n' "${ROWS[@]}"
  cat <<EOF

\`pacemaker-stopped.txt\`: what \`${CRM_MON[*]}\` prints on a node whose pacemaker (and corosync) is stopped:
exit code $stopped_rc, then stdout and stderr as captured.

Re-run the script to refresh them; it leaves the cluster in the seed state.
EOF
} >"$OUT/README.md"
log "done: $(ls "$OUT" | tr '\n' ' ')"
