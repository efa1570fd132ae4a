#!/usr/bin/env bash
# Start one Heartbeat node of a real two-node cluster, inside its network namespace and a
# private mount/UTS namespace (see cluster.py):  cluster_node.sh WORK NODE_NAME
# WORK holds ha.d/ (package files + files under test), log/, run/, lib/ for this node; they are
# bind-mounted over /etc/ha.d, /var/log, /run and /var/lib/heartbeat. The daemon detaches and
# keeps the namespaces alive; cluster.py stops it by the namespace's pids.
set -u
work=$1 node=$2
. "$(dirname "$0")/mount_node.sh"
hostname "$node"
ip link set lo up
cd "$work" || exit 1  # a relative path in ha.cf lands here, not in the caller's folder
/usr/libexec/heartbeat/heartbeat >"$work/start.out" 2>&1
echo "$?" >"$work/start.rc"
