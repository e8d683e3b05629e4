#!/usr/bin/env bash
# Runs the product for a person to try: builds the VSIX, brings the test cluster up in the seed state
# (2-node Redis pair under Pacemaker), and serves a real VS Code (code-server) with the extension installed
# on a demo workspace that already knows the cluster. Prints the URL. `bash scripts/demo.sh stop` ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO=/var/lib/pcx-demo
PORT=${PCX_DEMO_PORT:-8080}
CODE_SERVER="$ROOT/.tools/code-server/node_modules/.bin/code-server"
STATE=/var/lib/pcx-test-cluster

if [[ ${1:-} == stop ]]; then
  [[ -f $DEMO/code-server.pid ]] && kill "$(cat $DEMO/code-server.pid)" 2>/dev/null || true
  rm -f $DEMO/code-server.pid
  echo "demo: code-server stopped (the test cluster keeps running: bash test/cluster/cluster.sh down)"
  exit 0
fi

bash scripts/setup.sh
npm run package
bash test/cluster/cluster.sh ensure seed

mkdir -p "$DEMO/workspace/.pacemaker" "$DEMO/user-data/User" "$DEMO/extensions"
# The demo workspace: the cluster definition (hosts only, no secrets) and files to edit.
cat > "$DEMO/workspace/.pacemaker/clusters.json" <<JSON
{ "clusters": [ { "name": "cluster1", "hosts": ["node1", "node2"] } ] }
JSON
cp -n test/fixtures/workspace/corosync.conf "$DEMO/workspace/corosync.conf" 2>/dev/null || true
cat > "$DEMO/user-data/User/settings.json" <<JSON
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "pacemaker.ssh.configFile": "$STATE/ssh_config",
  "pacemaker.ssh.knownHostsFile": "$STATE/known_hosts"
}
JSON

[[ -f $DEMO/code-server.pid ]] && kill "$(cat $DEMO/code-server.pid)" 2>/dev/null || true
common=(--user-data-dir "$DEMO/user-data" --extensions-dir "$DEMO/extensions")
vsix=$(ls -t "$ROOT"/pacemaker-cluster-explorer-*.vsix | head -1)
"$CODE_SERVER" "${common[@]}" --force --install-extension "$vsix" >/dev/null
nohup "$CODE_SERVER" "${common[@]}" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry \
  --disable-update-check --disable-workspace-trust "$DEMO/workspace" > "$DEMO/code-server.log" 2>&1 &
echo $! > "$DEMO/code-server.pid"
for _ in $(seq 1 100); do node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break; sleep 0.2; done
echo
echo "Pacemaker Cluster Explorer is running in VS Code (code-server) at:"
echo "  http://127.0.0.1:$PORT/?folder=$DEMO/workspace"
echo "The test cluster (node1 10.213.0.11, node2 10.213.0.12, VIP 10.213.0.100) is up in the seed state."
echo "pcx on the command line: node dist/pcx.js status --cluster cluster1 --clusters $DEMO/workspace/.pacemaker/clusters.json --ssh-config $STATE/ssh_config"
echo "Stop: bash scripts/demo.sh stop; bash test/cluster/cluster.sh down"
