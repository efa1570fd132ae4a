#!/usr/bin/env bash
# Start one Heartbeat node of a real two-node cluster:  cluster_node.sh WORK NODE_NAME
# Run by cluster.py as PID 1 of the node's own PID namespace, inside its network namespace and
# a private mount/UTS namespace. WORK holds ha.d/ (package files + files under test), log/,
# run/, lib/ for this node; they are bind-mounted over /etc/ha.d, /var/log, /run and
# /var/lib/heartbeat.
#
# Safety: ResourceManager answers a failed stop with `pkill -9 heartbeat` and `/sbin/reboot -nf`
# (then `/sbin/init 6`), and Heartbeat's own cl_reboot calls reboot(2). Here pkill sees only
# this PID namespace (/proc is the namespace's own), reboot(2) from a non-initial PID namespace
# ends that namespace only, and systemctl, reboot, halt, poweroff, shutdown, telinit and init are
# a stand-in (standin/systemctl) that records the request. The stand-in also runs the services
# resource scripts start with systemctl, as small processes of this namespace.
set -u
work=$1 node=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/mount_node.sh"
for target in /usr/bin/systemctl /usr/lib/systemd/systemd; do
  [ -e "$target" ] && mount --bind "$here/standin/systemctl" "$target"
done
[ -e /usr/bin/netstat ] && mount --bind "$here/standin/netstat" /usr/bin/netstat
mkdir -p /run/halint-standin/bin
export PATH="$here/standin:/run/halint-standin/bin:$PATH"
hostname "$node"
ip link set lo up
cd "$work" || exit 1  # a relative path in ha.cf lands here, not in the caller's folder
# Services that cannot start on this node, and services the host starts at boot (enabled).
for service in $(cat "$work/broken-services" 2>/dev/null); do
  touch "/run/halint-standin/$service.broken"
done
for service in $(cat "$work/boot-services" 2>/dev/null); do
  systemctl start "$service"
done
/usr/libexec/heartbeat/heartbeat >"$work/start.out" 2>&1
echo "$?" >"$work/start.rc"
# PID 1 of the namespace: keep it alive (its end would end every process of the node; as PID 1
# without a handler it ignores SIGTERM) and reap the orphans the daemons leave.
while :; do
  sleep 3600 &
  wait $!
done
