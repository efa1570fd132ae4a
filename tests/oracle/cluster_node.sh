#!/usr/bin/env bash
# Start one Heartbeat node of a real two-node cluster, inside its network namespace and a
# private mount/UTS namespace (see cluster.py):  cluster_node.sh WORK NODE_NAME
# WORK holds ha.d/ (package files + files under test), log/, run/, lib/ for this node; they are
# bind-mounted over /etc/ha.d, /var/log, /run and /var/lib/heartbeat. The daemon detaches and
# keeps the namespaces alive; cluster.py stops it by the namespace's pids.
set -u
work=$1 node=$2
mount --bind "$work/ha.d" /etc/ha.d
mount --bind "$work/log" /var/log
mount --bind "$work/run" /run
mount --bind "$work/lib" /var/lib/heartbeat
mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/heartbeat/rsctmp
chown hacluster:haclient /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd 2>/dev/null
hostname "$node"
ip link set lo up
/usr/libexec/heartbeat/heartbeat >"$work/start.out" 2>&1
echo "$?" >"$work/start.rc"
