#!/bin/bash
# STAND-IN for Pacemaker 1.1's crm_mon (no Pacemaker 1.1 package exists for Debian 12). `cluster.sh standin NODE
# pacemaker-1.1` bind-mounts it over /usr/sbin/crm_mon inside one node; `cluster.sh standin NODE off` removes it.
# It behaves as 1.1.19's tools/crm_mon.c does for what pcx sends:
#   --version / -$        "Pacemaker 1.1.19" / "Written by Andrew Beekhof" on stdout, exit 0
#   an unknown long option (--output-as=xml, 2.x's flag): getopt's "unrecognized option" on stderr, the help text
#                         on stdout and exit status 0 (crm_mon's `case '?': return crm_help(flag, EX_OK)`)
#   -X / --as-xml         the legacy <crm_mon version="1.1.x"> document (roles Master/Slave) from $CRM_MON_XML
# Anything else (text mode) is not imitated: it says so and exits 64.
set -u
CRM_MON_XML=${CRM_MON_XML:-@CRM_MON_XML@}
xml=0
for arg in "$@"; do
  case $arg in
    --version|-\$) printf 'Pacemaker 1.1.19\nWritten by Andrew Beekhof\n'; exit 0 ;;
    -X|--as-xml) xml=1 ;;
    -1|--one-shot|-r|--inactive|-1r|-r1) ;;
    --*)
      printf "crm_mon: unrecognized option '%s'\n" "$arg" >&2
      printf "crm_mon - Provides a summary of cluster's current state.\n\nOutputs varying levels of detail in a number of different formats.\n\nUsage: crm_mon mode [options]\nOptions:\n -?, --help \t\tThis text\n"
      exit 0 ;;
  esac
done
if (( xml )); then cat "$CRM_MON_XML"; exit 0; fi
echo "crm_mon 1.1 stand-in: only --as-xml and --version are imitated (args: $*)" >&2
exit 64
