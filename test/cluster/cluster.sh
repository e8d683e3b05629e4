#!/usr/bin/env bash
# The project's real 2-node Pacemaker/Corosync test cluster on one Debian 12 machine (run as root).
#
#   bash test/cluster/cluster.sh install | up [bare|seed] | ensure [bare|seed] | reset | status | down | ssh NODE [cmd…]
#                                exec NODE cmd…   (inside the node with nsenter, no ssh: works while its link is cut)
#                                standin NODE pacemaker-1.1|sudo-crm_mon-only|off
#                                fault NODE sshd-stop|sshd-start|link-down|link-up|partition|heal|cut-from-host|restore-from-host|power-off
#                                           |loss [PERCENT, default 30: dropped each way between us and NODE]|noloss
#
# Design (facts behind it: ../shared/notes/test-cluster.md):
# - A node = network namespace pcx-NODE (veth eth0 into bridge pcxbr0, host 10.213.0.254/24; instance N: pcxN-NODE, pcxbrN, 10.213.N.0/24) in which
#   `unshare --mount --uts --pid` runs tini as pid 1 (reaps orphans) and node-init.sh, which sets the hostname,
#   bind-mounts the node's private copies of the state directories, /etc/hosts and a systemctl stand-in,
#   then becomes sshd bound to the node's address with the node's own host key.
# - Everything the script needs to remember lives in $STATE (/var/lib/pcx-test-cluster): test key, known_hosts,
#   ssh_config, per-node host keys (generated once, kept across down/up), per-node state copies (fresh every up).
# - The script itself reaches into a node with nsenter (fast, no ssh); the tests and people use ssh.
# - `seed` is the reference user's setup, typed with the same pcs 0.11 commands the user types.
# - Every wait is a poll with a deadline and says what it waits for.
# - `standin` swaps one thing inside ONE node's own mount namespace (a bind mount, nothing on the host changes):
#   pacemaker-1.1 puts a stand-in for Pacemaker 1.1's crm_mon over /usr/sbin/crm_mon (crm_mon-1.1-standin.sh:
#   refuses --output-as, prints 1.1's XML for --as-xml); sudo-crm_mon-only puts a sudoers rule that names crm_mon
#   only over /etc/sudoers.d/pcx-test (pcxadmin may then run crm_mon but not cibadmin); off removes them.
#   A node with a stand-in is not in the seed state; reset removes stand-ins.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# PCX_CLUSTER_INSTANCE=N (1-9) runs an independent copy beside the default one (0): its own namespaces, bridge,
# 10.213.N.0/24 and state dir, so several developers' (or helpers') suites can run on one machine at once.
INSTANCE=${PCX_CLUSTER_INSTANCE:-0}
[[ $INSTANCE =~ ^[0-9]$ ]] || { echo "[cluster] error: PCX_CLUSTER_INSTANCE must be 0-9, not '$INSTANCE'" >&2; exit 1; }
if (( INSTANCE == 0 )); then NS=pcx- VETH=pcxv- DEFAULT_STATE=/var/lib/pcx-test-cluster
else NS=pcx$INSTANCE- VETH=pcxv$INSTANCE- DEFAULT_STATE=/var/lib/pcx-test-cluster-$INSTANCE; fi
STATE=${PCX_CLUSTER_STATE:-$DEFAULT_STATE}
NET=10.213.$INSTANCE
BRIDGE=pcxbr$INSTANCE
HOST_ADDR=$NET.254
VIP=$NET.100
NODES=(node1 node2)
declare -A ADDR=([node1]=$NET.11 [node2]=$NET.12)
declare -A NODEID=([node1]=1 [node2]=2)
# Must match node-init.sh.
PRIVATE_DIRS=(/etc/corosync /var/lib/corosync /var/lib/pacemaker /var/log/pacemaker /var/log/cluster /var/log/corosync
              /var/lib/redis /var/log/redis /etc/redis /run /root)
PACKAGES=(corosync pacemaker pacemaker-cli-utils resource-agents redis-server openssh-server openssh-client pcs crmsh
          iproute2 procps psmisc tini sudo util-linux python3)
PY=/usr/bin/python3
SSH_OPTS=(-F "$STATE/ssh_config")

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[cluster] error: %s\n' "$1" >&2; [[ -n ${2:-} ]] && printf '[cluster] hint: %s\n' "$2" >&2; exit 1; }

need_root() { [[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces, mounts)" "sudo bash $0 $*"; }

# ---------------------------------------------------------------------------------------------------------------
# install

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || echo "$p"
  done
}

# PIDs of processes named $1 that run on the host itself (not inside one of our nodes: other network namespace).
host_pids() {
  local me p
  me=$(readlink /proc/self/ns/net)
  for p in $(pgrep -x "$1" 2>/dev/null); do
    [[ $(readlink "/proc/$p/ns/net" 2>/dev/null) == "$me" ]] && echo "$p"
  done
  return 0
}

# Only services of packages this run just installed, and only daemons started since then: on a developer's
# machine an sshd or redis that was already there (or another test's sshd) is none of our business.
stop_host_services() {
  local since=$1 pkg svc proc pid
  shift
  for pkg in "$@"; do
    case $pkg in
      redis-server) svc=redis-server proc=redis-server ;; corosync) svc=corosync proc=corosync ;;
      pacemaker) svc=pacemaker proc=pacemakerd ;; pcs) svc=pcsd proc=pcsd ;; openssh-server) svc=ssh proc=sshd ;;
      *) continue ;;
    esac
    if [[ -d /run/systemd/system ]]; then
      log "install: systemctl disable --now $svc (the host must not run a cluster itself)"
      systemctl disable --now "$svc" >/dev/null 2>&1 || true
    elif command -v update-rc.d >/dev/null && [[ -e /etc/init.d/$svc ]]; then
      update-rc.d "$svc" disable >/dev/null 2>&1 || true
    fi
    for pid in $(host_pids "$proc"); do
      (( $(ps -o etimes= -p "$pid" 2>/dev/null || echo 999999) <= $(date +%s) - since )) || continue
      log "install: stopping $svc that the package started on the host (pid $pid)"
      [[ -e /etc/init.d/$svc ]] && /etc/init.d/"$svc" stop >/dev/null 2>&1 || true
      kill "$pid" 2>/dev/null || true
    done
  done
}

cmd_install() {
  need_root install
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  if [[ -z ${missing// /} ]]; then
    log "install: all ${#PACKAGES[@]} packages present"
  else
    log "install: missing: $missing"
    local since
    since=$(date +%s)
    # Keep package scripts from starting services on the host (the host must not run a cluster itself).
    local guard=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && guard=1
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT   # also when apt-get fails
    fi
    log "install: apt-get update"
    apt-get update -qq
    log "install: apt-get install $missing"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 $missing
    if (( guard )); then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
    # shellcheck disable=SC2086
    stop_host_services "$since" $missing
  fi
  [[ -d /var/log/cluster ]] || mkdir -p /var/log/cluster   # a mount point for the nodes' private copy
  log "install: done"
}

# ---------------------------------------------------------------------------------------------------------------
# helpers

# Host pid of a node's pid 1 (tini): the process in the namespace whose innermost pid is 1.
node_pid1() {
  local p
  for p in $(ip netns pids "${NS}$1" 2>/dev/null); do
    awk '/^NSpid:/ { exit !(NF == 3 && $3 == 1) }' "/proc/$p/status" 2>/dev/null && { echo "$p"; return 0; }
  done
  return 1
}

# Run a command inside a node (its mount, UTS, network and pid namespaces) as root, without ssh.
node_exec() {
  local node=$1 pid
  shift
  pid=$(node_pid1 "$node") || { echo "node $node is not running" >&2; return 1; }
  nsenter -t "$pid" -m -u -n -p -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 HOME=/root "$@" 9>&-   # fd 9 = the lock (see serialize): daemons must not inherit it
}

# key=value summary of crm_mon as seen from $1 (empty output when pacemaker does not answer there).
summary() { node_exec "$1" crm_mon -1 --output-as=xml 2>/dev/null | $PY "$HERE/crm-summary.py" 2>/dev/null || true; }
field() { sed -n "s/^$1=//p" <<<"$2"; }

# wait_for SECONDS "what we wait for" command…   — polls every 0.5 s; on timeout says what it waited for.
wait_for() {
  local secs=$1 what=$2 deadline
  shift 2
  deadline=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
  while (( $(date +%s%N) / 1000000 < deadline )); do
    "$@" && return 0
    sleep 0.5
  done
  log "timed out after ${secs}s waiting for: $what"
  return 1
}

node_ns_exists() { ip netns list 2>/dev/null | grep -qw "${NS}$1"; }
sshd_up() { node_pid1 "$1" >/dev/null && ssh "${SSH_OPTS[@]}" -o ConnectTimeout=2 "$1" true 2>/dev/null; }
daemon_running() { node_exec "$1" pgrep -x "$2" >/dev/null 2>&1; }
any_node_present() { local n; for n in "${NODES[@]}"; do node_ns_exists "$n" && return 0; done; ip link show "$BRIDGE" >/dev/null 2>&1; }

is_seed_state() {
  local s
  s=$(summary node1)
  [[ $(field online "$s") == node1,node2 && $(field promoted "$s") == node1 && $(field unpromoted "$s") == node2 \
     && $(field vip "$s") == node1 && $(field failures "$s") == 0 && -z $(field standby "$s") \
     && -z $(field node_maintenance "$s") && $(field cluster_maintenance "$s") == false ]] || return 1
  config_is_seed && replication_up && no_standins
}
# Resources and constraints exactly as seeded (catches added resources, leftover cli-* move/ban constraints …).
config_is_seed() {
  local section
  for section in resources constraints; do
    [[ -f $STATE/seed-$section.xml ]] || return 1
    diff -q <(node_exec node1 cibadmin -Q -o "$section" 2>/dev/null) "$STATE/seed-$section.xml" >/dev/null || return 1
  done
}
replication_up() { node_exec node2 redis-cli info replication 2>/dev/null | grep -q '^master_link_status:up'; }

# ---------------------------------------------------------------------------------------------------------------
# stand-ins (see the header)

declare -A STANDIN_TARGET=([pacemaker-1.1]=/usr/sbin/crm_mon [sudo-crm_mon-only]=/etc/sudoers.d/pcx-test)

# Stand-in mounts active in node $1, one target path per line.
standins_on() {
  local t
  node_pid1 "$1" >/dev/null || return 0
  for t in "${STANDIN_TARGET[@]}"; do
    if node_exec "$1" awk -v t="$t" '$5 == t { found = 1 } END { exit !found }' /proc/self/mountinfo; then echo "$t"; fi
  done
  return 0
}
no_standins() { local n; for n in "${NODES[@]}"; do [[ -z $(standins_on "$n") ]] || return 1; done; }

remove_standins() {
  local n=$1 t
  for t in $(standins_on "$n"); do
    log "standin: $n: removing the stand-in over $t"
    node_exec "$n" umount "$t"
  done
}

cmd_standin() {
  local n=${1:-} kind=${2:-} src
  [[ -n $n && -n ${ADDR[$n]:-} ]] || die "which node?" "bash $0 standin node2 pacemaker-1.1|sudo-crm_mon-only|off"
  node_pid1 "$n" >/dev/null || die "node $n is not running" "bash $0 ensure seed"
  case $kind in
    off) remove_standins "$n"; return 0 ;;
    pacemaker-1.1)
      mkdir -p "$STATE/standin"
      install -m 644 "$HERE/../fixtures/crm_mon/legacy-1.1-testcluster-seed.xml" "$STATE/standin/crm_mon-1.1.xml"
      sed "s|@CRM_MON_XML@|$STATE/standin/crm_mon-1.1.xml|" "$HERE/crm_mon-1.1-standin.sh" >"$STATE/standin/crm_mon-1.1"
      chmod 755 "$STATE/standin/crm_mon-1.1"
      src=$STATE/standin/crm_mon-1.1 ;;
    sudo-crm_mon-only)
      mkdir -p "$STATE/standin"
      echo 'pcxadmin ALL=(root) NOPASSWD: /usr/sbin/crm_mon' >"$STATE/standin/sudoers-crm_mon-only"
      chmod 440 "$STATE/standin/sudoers-crm_mon-only"
      visudo -cq -f "$STATE/standin/sudoers-crm_mon-only" || die "visudo refused the stand-in sudoers rule"
      src=$STATE/standin/sudoers-crm_mon-only ;;
    *) die "unknown stand-in '$kind'" "use: standin NODE pacemaker-1.1|sudo-crm_mon-only|off" ;;
  esac
  local target=${STANDIN_TARGET[$kind]}
  if grep -qx "$target" <<<"$(standins_on "$n")"; then node_exec "$n" umount "$target"; fi
  log "standin: $n: $kind ($src over $target, in $n's mount namespace only)"
  node_exec "$n" mount --bind "$src" "$target"
}

# Faults for the fault suite (test/cluster/faults.test.ts) and for people trying the tool on a bad day.
# Each has its opposite; `reset`/`ensure seed` repair whatever is left.
# Random packet loss between this machine and node $1: PERCENT of the IPv4 packets between us ($HOST_ADDR) and the
# node, in EACH direction, are dropped on the node's host-side veth; the nodes' own traffic (corosync) is spared.
# This kernel has no netem (nor gact): a classic-BPF tc classifier picks the packets (EtherType IPv4, our address
# as source on egress / destination on ingress, then the ancillary load SKF_AD_RANDOM < PERCENT% of 2^32) and
# mirred redirects them into a veth whose peer is down, which drops them. Needs only tc (iproute2), CLS_BPF and
# ACT_MIRRED. (cls_bpf pushes the MAC header back at ingress, so the offsets are the same both ways.)
loss_sink() { echo "${VETH}$1"bh; }
packet_loss() {
  local n=$1 pct=$2 dev="${VETH}$1" sink threshold host a b c d
  [[ $pct =~ ^[0-9]+$ ]] && (( pct >= 1 && pct <= 100 )) || die "loss PERCENT must be 1-100, not '$pct'"
  no_packet_loss "$n"
  sink=$(loss_sink "$n")
  ip link add "$sink" type veth peer name "${VETH}$n"bp
  ip link set "$sink" up
  threshold=$(( pct * 4294967296 / 100 ))
  (( threshold > 4294967295 )) && threshold=4294967295
  IFS=. read -r a b c d <<<"$HOST_ADDR"
  host=$(( (a << 24) | (b << 16) | (c << 8) | d ))
  tc qdisc add dev "$dev" clsact
  local dir offset
  for dir in egress ingress; do
    offset=$( [[ $dir == egress ]] && echo 26 || echo 30 )   # IPv4 source (to the node) / destination (from it)
    tc filter add dev "$dev" "$dir" prio 1 bpf \
      bytecode "8,40 0 0 12,21 0 5 2048,32 0 0 $offset,21 0 3 $host,32 0 0 4294963256,53 1 0 $threshold,6 0 0 4294967295,6 0 0 0" \
      action mirred egress redirect dev "$sink"
  done
}
no_packet_loss() {
  tc qdisc del dev "${VETH}$1" clsact 2>/dev/null || true
  ip link del "$(loss_sink "$1")" 2>/dev/null || true
}

cmd_fault() {
  local n=${1:-} kind=${2:-} other
  [[ -n $n && -n ${ADDR[$n]:-} ]] || die "which node?" "bash $0 fault node1 sshd-stop|sshd-start|link-down|link-up|partition|heal|cut-from-host|restore-from-host|power-off|loss [PERCENT]|noloss"
  node_pid1 "$n" >/dev/null || die "node $n is not running" "bash $0 ensure seed"
  other=$( [[ $n == node1 ]] && echo node2 || echo node1 )
  case $kind in
    sshd-stop)
      touch "$STATE/$n/sshd-stopped"
      node_exec "$n" pkill -f '/usr/sbin/sshd -D -e -f' || true   # the listener (sessions are 'sshd: user@…')
      wait_for 10 "sshd on $n to stop listening" bash -c "! ssh ${SSH_OPTS[*]} -o ConnectTimeout=1 -o BatchMode=yes $n true 2>/dev/null" ;;
    sshd-start)
      rm -f "$STATE/$n/sshd-stopped"
      wait_for 20 "sshd on $n to accept the test key" sshd_up "$n" ;;
    link-down) ip -n "${NS}$n" link set eth0 down ;;
    link-up) ip -n "${NS}$n" link set eth0 up ;;
    partition)   # the two nodes lose each other; both still answer us
      ip -n "${NS}$n" route replace blackhole "${ADDR[$other]}/32"
      ip -n "${NS}$other" route replace blackhole "${ADDR[$n]}/32" ;;
    heal)
      ip -n "${NS}$n" route del blackhole "${ADDR[$other]}/32" 2>/dev/null || true
      ip -n "${NS}$other" route del blackhole "${ADDR[$n]}/32" 2>/dev/null || true ;;
    cut-from-host) ip -n "${NS}$n" route replace blackhole "$HOST_ADDR/32" ;;   # we lose it; the nodes don't
    restore-from-host) ip -n "${NS}$n" route del blackhole "$HOST_ADDR/32" 2>/dev/null || true ;;
    power-off)   # every process of the node at once, as a pulled plug (ensure seed rebuilds it)
      local p
      for p in $(ip netns pids "${NS}$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done ;;
    loss) packet_loss "$n" "${3:-30}" ;;
    noloss) no_packet_loss "$n" ;;
    *) die "unknown fault '$kind'" "use: fault NODE sshd-stop|sshd-start|link-down|link-up|partition|heal|cut-from-host|restore-from-host|power-off|loss [PERCENT]|noloss" ;;
  esac
  log "fault: $n: $kind"
}

# ---------------------------------------------------------------------------------------------------------------
# up

prepare_state() {
  mkdir -p "$STATE/bin" "$STATE/authorized_keys"
  chmod 755 "$STATE"
  if [[ ! -f $STATE/id_ed25519 ]]; then
    log "up: generating the test key $STATE/id_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C pcx-test-cluster -f "$STATE/id_ed25519"
  fi
  install -m 644 "$STATE/id_ed25519.pub" "$STATE/authorized_keys/root"
  install -m 755 "$HERE/systemctl-standin.sh" "$STATE/bin/systemctl"
  install -m 755 "$HERE/node-init.sh" "$STATE/bin/node-init.sh"
  : >"$STATE/known_hosts.new"
  : >"$STATE/ssh_config.new"
  local n
  for n in "${NODES[@]}"; do
    mkdir -p "$STATE/$n/hostkeys"
    if [[ ! -f $STATE/$n/hostkeys/ssh_host_ed25519_key ]]; then
      log "up: generating $n's own host key"
      ssh-keygen -q -t ed25519 -N '' -C "root@$n" -f "$STATE/$n/hostkeys/ssh_host_ed25519_key"
    fi
    echo "$n,${ADDR[$n]} $(cut -d' ' -f1,2 "$STATE/$n/hostkeys/ssh_host_ed25519_key.pub")" >>"$STATE/known_hosts.new"
    cat >>"$STATE/ssh_config.new" <<EOF
Host $n
  HostName ${ADDR[$n]}
  User root
  IdentityFile $STATE/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $STATE/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5

EOF
    cat >"$STATE/$n/sshd_config" <<EOF
# sshd of test-cluster node $n (written by cluster.sh)
ListenAddress ${ADDR[$n]}
HostKey $STATE/$n/hostkeys/ssh_host_ed25519_key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile .ssh/authorized_keys $STATE/authorized_keys/%u
MaxStartups 50:30:100
MaxSessions 50
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
EOF
  done
  mv "$STATE/known_hosts.new" "$STATE/known_hosts"
  mv "$STATE/ssh_config.new" "$STATE/ssh_config"
  chmod 644 "$STATE/known_hosts" "$STATE/ssh_config"
}

# Host users for non-root tests: pcxadmin (passwordless sudo) and pcxnopw (sudo wants a password nobody knows).
# Their password is random and never stored: key login works (sshd runs without PAM and would refuse a '!'-locked
# account), password login and a password prompt can't succeed.
ensure_users() {
  local u
  for u in pcxadmin pcxnopw; do
    if ! id "$u" >/dev/null 2>&1; then
      log "up: creating host user $u"
      useradd -m -s /bin/bash "$u"
      echo "$u:$(head -c 24 /dev/urandom | base64)" | chpasswd
    fi
    # The key goes in this instance's own authorized_keys dir (sshd's AuthorizedKeysFile names it), not in the
    # shared home: several instances share these host users, each with its own test key.
    install -m 644 "$STATE/id_ed25519.pub" "$STATE/authorized_keys/$u"
    rm -f "/home/$u/.ssh/authorized_keys"
  done
  if [[ ! -f /etc/sudoers.d/pcx-test ]]; then
    log "up: /etc/sudoers.d/pcx-test: pcxadmin may sudo without a password"
    echo 'pcxadmin ALL=(ALL:ALL) NOPASSWD: ALL' >/etc/sudoers.d/pcx-test.tmp
    chmod 440 /etc/sudoers.d/pcx-test.tmp
    visudo -cq -f /etc/sudoers.d/pcx-test.tmp && mv /etc/sudoers.d/pcx-test.tmp /etc/sudoers.d/pcx-test
  fi
}

prepare_node_root() {
  local n=$1 root=$STATE/$1/root d
  rm -rf "$root"
  for d in "${PRIVATE_DIRS[@]}"; do
    mkdir -p "$root$d"
    [[ -d $d ]] || mkdir -p "$d"   # the mount point on the host (only /var/log/cluster is ever missing)
    [[ $d == /run ]] && continue   # /run starts empty
    if [[ $d == /root ]]; then     # a node's own root home, like a fresh server's (not the host's)
      cp -a /etc/skel/. "$root/root/"; chmod 700 "$root/root"
      continue
    fi
    cp -a "$d/." "$root$d/"
    chown --reference="$d" "$root$d"; chmod --reference="$d" "$root$d"
  done
  chown -R hacluster:haclient "$root/var/lib/pacemaker" "$root/var/log/pacemaker"
  chown -R redis:redis "$root/var/lib/redis" "$root/var/log/redis" "$root/etc/redis"
  rm -f "$root/var/log/redis/"* "$root/var/log/pacemaker/"*.log 2>/dev/null || true
  # The redis agent starts redis itself: listen on the node's addresses, no protected mode, no daemonizing.
  sed -i -E -e 's/^#? *bind .*/bind * -::*/' -e 's/^#? *protected-mode .*/protected-mode no/' \
    -e 's/^#? *daemonize .*/daemonize no/' "$root/etc/redis/redis.conf"
  # Root on each node may ssh to both nodes (crmsh 4.4 needs it, as `crm cluster init` sets it up): its own key,
  # authorized through $STATE/authorized_keys/root (written in cmd_up), and both host keys in its known_hosts.
  mkdir -p -m 700 "$root/root/.ssh"
  ssh-keygen -q -t ed25519 -N '' -C "root@$n" -f "$root/root/.ssh/id_ed25519"
  cp "$STATE/known_hosts" "$root/root/.ssh/known_hosts"
  cat >"$STATE/$n/hosts" <<EOF
127.0.0.1 localhost
::1 localhost ip6-localhost ip6-loopback
${ADDR[node1]} node1
${ADDR[node2]} node2
EOF
}

setup_network() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "up: bridge $BRIDGE with $HOST_ADDR/24 on the host"
    ip link add "$BRIDGE" type bridge
    ip addr add "$HOST_ADDR/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  local n
  for n in "${NODES[@]}"; do
    if ! node_ns_exists "$n"; then
      log "up: namespace ${NS}$n, eth0 = ${ADDR[$n]}/24 (veth ${VETH}$n on $BRIDGE)"
      ip netns add "${NS}$n"
      ip link add "${VETH}$n" type veth peer name eth0 netns "${NS}$n"
      ip link set "${VETH}$n" master "$BRIDGE" up
      ip -n "${NS}$n" addr add "${ADDR[$n]}/24" dev eth0
      ip -n "${NS}$n" link set eth0 up
      ip -n "${NS}$n" link set lo up
    fi
  done
}

start_node() {
  local n=$1
  log "up: starting $n (tini + node-init.sh: hostname, private state dirs, /dev/shm, hosts, systemctl stand-in, sshd)"
  setsid ip netns exec "${NS}$n" unshare --mount --uts --pid --fork --mount-proc --propagation private \
    /usr/bin/tini -s -- /bin/bash "$STATE/bin/node-init.sh" "$n" "$STATE" >"$STATE/$n/init.log" 2>&1 </dev/null 9>&- &
}

write_corosync_conf() {
  local n key=$STATE/corosync-authkey
  [[ -f $key ]] || { log "seed: generating the corosync authkey"; corosync-keygen -k "$key" >/dev/null 2>&1 || head -c 256 /dev/urandom >"$key"; }
  for n in "${NODES[@]}"; do
    install -m 400 "$key" "$STATE/$n/root/etc/corosync/authkey"
    cat >"$STATE/$n/root/etc/corosync/corosync.conf" <<EOF
totem {
    version: 2
    cluster_name: cluster1
    transport: knet
    crypto_cipher: aes256
    crypto_hash: sha256
}

nodelist {
    node {
        ring0_addr: ${ADDR[node1]}
        name: node1
        nodeid: ${NODEID[node1]}
    }

    node {
        ring0_addr: ${ADDR[node2]}
        name: node2
        nodeid: ${NODEID[node2]}
    }
}

quorum {
    provider: corosync_votequorum
    two_node: 1
}

logging {
    to_logfile: yes
    logfile: /var/log/cluster/corosync.log
    to_syslog: no
    timestamp: on
}
EOF
  done
}

check_seed_shape() {   # what `wait_for` polls during seeding; prints the summary on request
  local s
  s=$(summary node1)
  [[ $(field online "$s") == node1,node2 && $(field promoted "$s") == node1 && $(field unpromoted "$s") == node2 \
     && $(field vip "$s") == node1 && $(field failures "$s") == 0 ]] && replication_up
}
dc_elected() { [[ -n $(field dc "$(summary "$1")") ]]; }
promoted_on() { [[ $(field promoted "$(summary "$1")") == "$2" ]]; }
quorate() { node_exec "$1" corosync-quorumtool -s 2>/dev/null | grep -q 'Quorate: *Yes'; }
promoted_and_vip_on_node1() { local s; s=$(summary node1); [[ $(field promoted "$s") == node1 && $(field vip "$s") == node1 ]]; }

seed_cluster() {
  write_corosync_conf
  local n
  # corosync on both first: votequorum's two_node implies wait_for_all, so node1's pacemaker only has quorum
  # once both corosyncs have met; pacemaker itself starts on node1 first, as the user does.
  for n in "${NODES[@]}"; do log "seed: $n: systemctl start corosync"; node_exec "$n" systemctl start corosync; done
  wait_for 30 "corosync quorum (both members) on node1" quorate node1 \
    || die "corosync did not become quorate" "see $STATE/node1/root/var/log/cluster/corosync.log"
  log "seed: node1: systemctl start pacemaker"
  node_exec node1 systemctl start pacemaker
  wait_for 90 "node1 to elect itself DC" dc_elected node1 || die "node1 elected no DC" "see $STATE/node1/root/var/log/pacemaker/pacemaker.log"
  log "seed: node1 is DC; creating the resources with pcs as the user does"
  local -a cmds=(
    "pcs property set stonith-enabled=false"
    "pcs resource defaults update resource-stickiness=INFINITY migration-threshold=1"
    "pcs resource create redis ocf:heartbeat:redis op start timeout=300s op monitor interval=5s op monitor interval=3s role=Promoted promotable notify=true"
    "pcs resource create VIP ocf:heartbeat:IPaddr2 ip=$VIP cidr_netmask=24 nic=eth0 op monitor interval=10s"
    "pcs constraint colocation add VIP with Promoted redis-clone INFINITY"
  )
  local c
  for c in "${cmds[@]}"; do
    log "seed: node1# $c"
    # shellcheck disable=SC2086
    node_exec node1 $c >/dev/null 2>"$STATE/pcs.err" || die "'$c' failed: $(cat "$STATE/pcs.err")"
  done
  wait_for 60 "redis Promoted on node1 (node1 alone)" promoted_on node1 node1 \
    || die "redis was not promoted on node1" "crm_mon on node1: bash $0 ssh node1 crm_mon -1"
  log "seed: node2: systemctl start pacemaker"
  node_exec node2 systemctl start pacemaker
  wait_for 90 "both Online, Promoted node1, Unpromoted node2, VIP on node1, node2 master_link_status:up" check_seed_shape \
    || die "the seed state was not reached: $(summary node1 | tr '\n' ' ')" "bash $0 status"
  # Remember the seed configuration: reset compares against it.
  node_exec node1 cibadmin -Q -o resources >"$STATE/seed-resources.xml"
  node_exec node1 cibadmin -Q -o constraints >"$STATE/seed-constraints.xml"
}

cmd_up() {
  need_root up
  local mode=${1:-seed} t0 n
  [[ $mode == seed || $mode == bare ]] || die "unknown state '$mode'" "use: up bare | up seed"
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  [[ -z ${missing// /} ]] || die "packages missing: $missing" "bash $0 install"
  if current_state_is "$mode"; then log "up: already up in the $mode state"; return 0; fi
  t0=$(date +%s%N)
  any_node_present && { log "up: clearing what is left of a previous cluster"; cmd_down; }
  [[ -d /var/log/cluster ]] || mkdir -p /var/log/cluster
  prepare_state
  ensure_users
  for n in "${NODES[@]}"; do prepare_node_root "$n"; done
  cat "$STATE/id_ed25519.pub" "$STATE"/node*/root/root/.ssh/id_ed25519.pub >"$STATE/authorized_keys/root"
  setup_network
  for n in "${NODES[@]}"; do start_node "$n"; done
  for n in "${NODES[@]}"; do
    wait_for 20 "sshd on $n (${ADDR[$n]}) to accept the test key" sshd_up "$n" \
      || die "$n's sshd did not come up: $(tail -5 "$STATE/$n/init.log")" "see $STATE/$n/init.log"
  done
  echo "$mode" >"$STATE/mode"
  [[ $mode == seed ]] && seed_cluster
  log "up $mode: done in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}

# Is the cluster up and exactly in state $1 (bare: sshd only, nothing of the cluster running)?
current_state_is() {
  local n
  for n in "${NODES[@]}"; do sshd_up "$n" || return 1; done
  case $1 in
    bare) for n in "${NODES[@]}"; do
            daemon_running "$n" corosync && return 1
            daemon_running "$n" pacemakerd && return 1
          done; return 0 ;;
    seed) is_seed_state ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------------
# reset / ensure

no_failures_and_node1_unpromoted_or_promoted() {
  local s
  s=$(summary node1)
  [[ $(field online "$s") == node1,node2 && $(field redis_stopped "$s") == 0 && -n $(field promoted "$s") ]]
}

# The whole in-place reset gets RESET_BUDGET seconds; past that a rebuild (~45 s) is the faster way.
RESET_BUDGET=75
reset_time_left() { local left=$(( reset_deadline - $(date +%s) )); (( left > 1 )) && echo "$left" || echo 1; }

try_reset() {
  local n s
  reset_deadline=$(( $(date +%s) + RESET_BUDGET ))
  for n in "${NODES[@]}"; do
    no_packet_loss "$n"
    sshd_up "$n" || { log "reset: $n is not reachable over ssh"; return 1; }
    remove_standins "$n"
    daemon_running "$n" corosync || { log "reset: $n: systemctl start corosync"; node_exec "$n" systemctl start corosync || return 1; }
  done
  for n in "${NODES[@]}"; do
    daemon_running "$n" pacemakerd || { log "reset: $n: systemctl start pacemaker"; node_exec "$n" systemctl start pacemaker || return 1; }
  done
  wait_for "$(reset_time_left)" "a DC" dc_elected node1 || return 1
  log "reset: clearing maintenance, standby, move/ban constraints, failures"
  node_exec node1 crm_attribute --type crm_config --name maintenance-mode --delete >/dev/null 2>&1 || true
  for n in "${NODES[@]}"; do
    node_exec node1 crm_attribute --node "$n" --name standby --delete >/dev/null 2>&1 || true
    node_exec node1 crm_attribute --node "$n" --name maintenance --delete >/dev/null 2>&1 || true
  done
  node_exec node1 cibadmin --delete-all --xpath "//rsc_location[starts-with(@id,'cli-')]" --force >/dev/null 2>&1 || true
  # Anything else changed in the configuration (resources added, edited, constraints) means a rebuild.
  config_is_seed || { log "reset: resources or constraints differ from the seed's"; return 1; }
  node_exec node1 pcs resource cleanup >/dev/null 2>&1 || true
  wait_for "$(reset_time_left)" "redis running on both nodes again" no_failures_and_node1_unpromoted_or_promoted || return 1
  s=$(summary node1)
  if [[ $(field promoted "$s") != node1 ]]; then
    log "reset: redis is Promoted on $(field promoted "$s"); node1# pcs resource ban redis-clone node2 --promoted"
    node_exec node1 pcs resource ban redis-clone node2 --promoted >/dev/null 2>&1 || return 1
    wait_for "$(reset_time_left)" "redis Promoted on node1 and the VIP following it" promoted_and_vip_on_node1 || return 1
    log "reset: node1# pcs resource clear redis-clone"
    node_exec node1 pcs resource clear redis-clone >/dev/null 2>&1 || return 1
    node_exec node1 pcs resource cleanup >/dev/null 2>&1 || true
  fi
  wait_for "$(reset_time_left)" "the seed state (node1 Promoted, node2 Unpromoted and replicating, VIP on node1, no failures)" is_seed_state
}

cmd_reset() {
  need_root reset
  local t0
  t0=$(date +%s%N)
  if try_reset; then
    log "reset: back in the seed state in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  else
    log "reset: not possible in place; rebuilding (down + up seed)"
    cmd_down
    cmd_up seed
  fi
}

cmd_ensure() {
  need_root ensure
  local mode=${1:-seed} t0
  [[ $mode == seed || $mode == bare ]] || die "unknown state '$mode'" "use: ensure bare | ensure seed"
  t0=$(date +%s%N)
  if current_state_is "$mode"; then
    log "ensure $mode: already there ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
    return 0
  fi
  if [[ $mode == seed && $(cat "$STATE/mode" 2>/dev/null) == seed ]] && sshd_up node1 && sshd_up node2; then
    log "ensure seed: the cluster is up but drifted: $(summary node1 | grep -v '^dc=' | tr '\n' ' ')"
    cmd_reset
  else
    any_node_present && cmd_down
    cmd_up "$mode"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# down / status / ssh

cmd_down() {
  need_root down
  local n pids i
  for n in "${NODES[@]}"; do
    if node_ns_exists "$n"; then
      pids=$(ip netns pids "${NS}$n" 2>/dev/null | tr '\n' ' ')
      if [[ -n ${pids// /} ]]; then
        log "down: $n: killing its processes ($pids)"
        # SIGKILL to pid 1 of a pid namespace ends every process in it; the rest are the unshare/ip wrappers.
        kill -KILL $pids 2>/dev/null || true
        # Wait until they are dead, not only out of the namespace (zombies left are the host init's to reap).
        for (( i = 0; i < 50; i++ )); do
          [[ -z $(ip netns pids "${NS}$n" 2>/dev/null) ]] && ! ps -o stat= -p "${pids// /,}" 2>/dev/null | grep -qv '^Z' && break
          sleep 0.1
        done
        [[ -z $(ip netns pids "${NS}$n" 2>/dev/null) ]] || log "down: warning: processes still in ${NS}$n: $(ip netns pids "${NS}$n" | tr '\n' ' ')"
      fi
      log "down: deleting namespace ${NS}$n"
      ip netns del "${NS}$n" 2>/dev/null || true
    fi
    ip link del "${VETH}$n" 2>/dev/null || true
    ip link del "$(loss_sink "$n")" 2>/dev/null || true
  done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "down: deleting bridge $BRIDGE"
    ip link del "$BRIDGE"
  fi
  # Node mounts live in the nodes' own mount namespaces and vanish with them; unmount anything that leaked.
  local m
  for m in $(awk -v s="$STATE" -v ns="$NS" '($5 == s || $5 ~ "^"s"/") || $5 ~ "^/run/netns/"ns { print $5 }' /proc/self/mountinfo | sort -r); do
    log "down: unmounting $m"; umount -l "$m" 2>/dev/null || true
  done
  rm -f "$STATE/mode"
  log "down: done"
}

cmd_status() {
  need_root status
  local n up=0 s
  ip link show "$BRIDGE" >/dev/null 2>&1 && echo "bridge $BRIDGE: present" || echo "bridge $BRIDGE: absent"
  for n in "${NODES[@]}"; do
    if ! node_ns_exists "$n"; then echo "$n: no namespace"; continue; fi
    if ! node_pid1 "$n" >/dev/null; then echo "$n: namespace ${NS}$n without processes (stale: run down)"; continue; fi
    local ssh_state=down; sshd_up "$n" && { ssh_state=up; up=$((up + 1)); }
    local coro=stopped pcmk=stopped
    daemon_running "$n" corosync && coro=running
    daemon_running "$n" pacemakerd && pcmk=running
    echo "$n (${ADDR[$n]}): sshd $ssh_state, corosync $coro, pacemaker $pcmk$(standins_on "$n" | sed 's/^/, stand-in over /' | tr -d '\n')"
  done
  echo "mode: $(cat "$STATE/mode" 2>/dev/null || echo none)"
  local shown=0
  for n in "${NODES[@]}"; do
    node_pid1 "$n" >/dev/null || continue
    if (( ! shown )) && daemon_running "$n" pacemakerd; then
      s=$(summary "$n")
      echo "crm_mon on $n: $(grep -v '^failed=$' <<<"$s" | tr '\n' ' ')"
      shown=1
    fi
    daemon_running "$n" redis-server &&
      echo "redis on $n: $(node_exec "$n" redis-cli info replication 2>/dev/null | grep -E '^(role|master_link_status):' | tr -d '\r' | tr '\n' ' ')"
  done
  (( up == ${#NODES[@]} ))
}

cmd_ssh() {
  local n=${1:-}
  [[ -n $n ]] || die "which node?" "bash $0 ssh node1 [command…]"
  shift
  [[ -f $STATE/ssh_config ]] || die "no test cluster state in $STATE" "bash $0 up"
  exec ssh "${SSH_OPTS[@]}" "$n" "$@"
}

cmd_exec() {
  local n=${1:-}
  [[ -n $n && -n ${ADDR[$n]:-} && $# -ge 2 ]] || die "which node and command?" "bash $0 exec node1 command…"
  shift
  node_exec "$n" "$@"
}

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

# One changer at a time: several people and test suites share this machine's one cluster.
serialize() {
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  if ! flock -n 9; then
    log "waiting for another cluster.sh run to finish (lock $STATE/.lock)"
    flock -w 900 9 || die "another cluster.sh run held the lock for 15 minutes" "check: ps -ef | grep cluster.sh"
  fi
}

cmd=${1:-}
shift || true
case $cmd in install|up|ensure|reset|down|standin) need_root "$cmd"; serialize ;; fault|exec) need_root "$cmd" ;; esac
case $cmd in
  install) cmd_install ;;
  up) cmd_up "$@" ;;
  ensure) cmd_ensure "$@" ;;
  reset) cmd_reset ;;
  down) cmd_down ;;
  status) cmd_status ;;
  ssh) cmd_ssh "$@" ;;
  exec) cmd_exec "$@" ;;
  standin) cmd_standin "$@" ;;
  fault) cmd_fault "$@" ;;
  *) usage ;;
esac
