#!/bin/bash
# First process of a test-cluster node, run by cluster.sh as
#   ip netns exec pcx-NODE unshare --mount --uts --pid --fork --mount-proc --propagation private \
#     tini -- bash node-init.sh NODE STATE_DIR
# i.e. already inside the node's own network, mount, UTS and pid namespaces, as the child of tini (pid 1,
# which reaps the daemons that ssh sessions and the systemctl stand-in leave behind).
# It gives the node its identity and private state, then becomes the node's sshd.
set -euo pipefail
node=$1
state=$2
root=$state/$node/root

hostname "$node"

# Per-node copies of every directory the cluster stack or redis writes, so the two nodes share no state.
# (Must match PRIVATE_DIRS in cluster.sh, which prepares the copies.)
for dir in /etc/corosync /var/lib/corosync /var/lib/pacemaker /var/log/pacemaker /var/log/cluster /var/log/corosync \
           /var/lib/redis /var/log/redis /etc/redis /run /root; do
  mount --bind "$root$dir" "$dir"
done
# libqb IPC files live in /dev/shm: shared, the two nodes' daemons would collide.
mount -t tmpfs -o mode=1777,size=256m tmpfs /dev/shm
# Node names must resolve inside the node (the redis agent points the replica at the Promoted node's name).
mount --bind "$state/$node/hosts" /etc/hosts
mount --bind "$state/bin/systemctl" /usr/bin/systemctl

# /run starts empty: recreate what the daemons expect. /run/systemd/system makes pcs pick its systemd driver.
mkdir -p /run/sshd /run/systemd/system /run/lock /run/corosync /run/crm /run/resource-agents /run/redis
chmod 0755 /run/sshd
chown redis:redis /run/redis
chown hacluster:haclient /run/crm

echo "node-init: $node ready (hostname $(hostname)), starting sshd"
# sshd runs under a loop so the fault tests can stop and start it like a service: while the flag file exists
# it stays down (`cluster.sh sshd NODE stop|start`). Sessions already open survive a stop, as with systemd.
flag=$state/$node/sshd-stopped
rm -f "$flag"
while :; do
  if [[ -e $flag ]]; then sleep 0.2; continue; fi
  /usr/sbin/sshd -D -e -f "$state/$node/sshd_config" || echo "node-init: sshd exited with $?"
  sleep 0.2
done
