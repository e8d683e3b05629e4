#!/bin/bash
# systemctl stand-in for a test-cluster node (bind-mounted over /usr/bin/systemctl inside the node's mount
# namespace by node-init.sh). There is no systemd in a node, but pcs and crmsh drive corosync/pacemaker through
# `systemctl start|stop|is-active …`, so this script answers those verbs for the two cluster daemons by starting
# them detached (the node's pid 1, tini, reaps them) and stopping them by signal. Starting or stopping any other
# unit fails like systemd does for a unit that does not exist (exit 5); queries answer "inactive"/"disabled";
# enable/disable/daemon-reload are accepted (enable state is remembered in /run, for is-enabled).
# Processes are looked up with pgrep, which sees only this node: the node has its own pid namespace and /proc.
set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin
ENABLED_DIR=/run/pcx-systemctl
mkdir -p "$ENABLED_DIR"

# Options (--quiet, --full, --no-block, -q …) are accepted and ignored; the first word is the verb.
verb=""
units=()
quiet=0
for arg in "$@"; do
  case "$arg" in
    -q|--quiet) quiet=1 ;;
    -*) ;;
    *) if [[ -z $verb ]]; then verb=$arg; else units+=("${arg%.service}"); fi ;;
  esac
done

daemon_of() {
  case "$1" in
    corosync) echo corosync ;;
    pacemaker) echo pacemakerd ;;
    *) echo "" ;;
  esac
}

is_running() {
  local d
  d=$(daemon_of "$1")
  [[ -n $d ]] && pgrep -x "$d" >/dev/null
}

# Waits up to $2 seconds (in tenths) for the condition named by $1 ("up UNIT" / "down UNIT").
wait_state() {
  local want=$1 unit=$2 tenths=$(( $3 * 10 ))
  for (( i = 0; i < tenths; i++ )); do
    if [[ $want == up ]] && is_running "$unit"; then return 0; fi
    if [[ $want == down ]] && ! is_running "$unit"; then return 0; fi
    sleep 0.1
  done
  return 1
}

start_unit() {
  local unit=$1
  is_running "$unit" && return 0
  case "$unit" in
    corosync)
      [[ -f /etc/corosync/corosync.conf ]] || { echo "corosync: /etc/corosync/corosync.conf missing" >&2; return 1; }
      mkdir -p /var/log/corosync /var/log/cluster /run/corosync
      # -f: stay in the foreground (as under systemd); setsid + redirects detach it from the caller's session.
      setsid env -i PATH="$PATH" LANG=C.UTF-8 /usr/sbin/corosync -f >>/var/log/cluster/corosync.stdout 2>&1 </dev/null &
      wait_state up corosync 10 || { echo "corosync did not start; see /var/log/cluster/corosync.stdout" >&2; return 1; }
      # systemd's unit waits for corosync to be ready; corosync-cfgtool answering is the equivalent.
      for (( i = 0; i < 100; i++ )); do
        corosync-cfgtool -s >/dev/null 2>&1 && return 0
        is_running corosync || break
        sleep 0.1
      done
      echo "corosync started but does not answer; see /var/log/cluster/corosync.stdout" >&2
      return 1
      ;;
    pacemaker)
      # pacemaker.service Requires=corosync.service: systemd starts corosync first (crmsh relies on that).
      is_running corosync || start_unit corosync || return 1
      mkdir -p /var/log/pacemaker
      setsid env -i PATH="$PATH" LANG=C.UTF-8 /usr/sbin/pacemakerd >>/var/log/pacemaker/pacemakerd.stdout 2>&1 </dev/null &
      wait_state up pacemaker 10 || { echo "pacemakerd did not start; see /var/log/pacemaker/" >&2; return 1; }
      ;;
    *) echo "Failed to start $unit.service: Unit $unit.service not found (test-cluster stand-in knows corosync and pacemaker)." >&2
       return 5 ;;
  esac
}

stop_unit() {
  local unit=$1 d
  d=$(daemon_of "$unit")
  [[ -n $d ]] || { echo "Failed to stop $unit.service: Unit $unit.service not loaded." >&2; return 5; }
  if [[ $unit == corosync ]] && is_running pacemaker; then
    # systemd would stop pacemaker first (it requires corosync).
    stop_unit pacemaker || return 1
  fi
  is_running "$unit" || return 0
  pkill -TERM -x "$d"
  # pacemaker stops its resources first; a stuck stop is a test failure worth seeing, not a hang.
  if ! wait_state down "$unit" 120; then
    echo "$unit did not stop within 120 s" >&2
    return 1
  fi
}

rc=0
case "$verb" in
  start) for u in "${units[@]}"; do start_unit "$u" || rc=$?; done ;;
  stop) for u in "${units[@]}"; do stop_unit "$u" || rc=$?; done ;;
  restart) for u in "${units[@]}"; do { stop_unit "$u" && start_unit "$u"; } || rc=1; done ;;
  try-restart|reload-or-restart|condrestart)
    for u in "${units[@]}"; do if is_running "$u"; then { stop_unit "$u" && start_unit "$u"; } || rc=1; fi; done ;;
  is-active|status)
    for u in "${units[@]}"; do
      if is_running "$u"; then state=active; else state=inactive; rc=3; fi
      if [[ $verb == status ]]; then echo "● $u.service - $u (test-cluster stand-in)"; echo "     Active: $state"
      elif (( ! quiet )); then echo "$state"; fi
    done ;;
  is-failed) rc=1; (( quiet )) || echo "inactive" ;;
  enable) for u in "${units[@]}"; do touch "$ENABLED_DIR/$u"; done ;;
  disable) for u in "${units[@]}"; do rm -f "$ENABLED_DIR/$u"; done ;;
  is-enabled)
    for u in "${units[@]}"; do
      if [[ -e $ENABLED_DIR/$u ]]; then (( quiet )) || echo enabled; else (( quiet )) || echo disabled; rc=1; fi
    done ;;
  list-unit-files)
    echo "UNIT FILE STATE"
    for u in corosync pacemaker; do
      if [[ -e $ENABLED_DIR/$u ]]; then echo "$u.service enabled"; else echo "$u.service disabled"; fi
    done ;;
  daemon-reload|reset-failed|mask|unmask|"") ;;
  *) ;;
esac
exit $rc
