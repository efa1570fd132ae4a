#!/usr/bin/env bash
# Run the real Heartbeat 3.0.6 once on a prepared configuration, inside the private
# namespaces that heartbeat_oracle.py creates with `unshare -m -u -n -p --fork --mount-proc`.
#
# usage: run_heartbeat.sh CONF_DIR NODE_NAME WAIT_SECONDS [IFACE[=ADDR/PREFIX] ...]
#   CONF_DIR  holds ha.cf / authkeys / haresources / resource.d/* to test (copied, modes kept)
#   NODE_NAME the host name the daemon sees (`uname -n`)
#   IFACE     interfaces to create (veth pairs), optionally with an IPv4 address
# HALINT_ORACLE_NO_ACCOUNTS=1 hides the hacluster user and the haclient group;
# HALINT_ORACLE_NO_OCF=1 hides resource-agents' OCF agents.
# Prints the daemon's exit status as "HALINT-ORACLE-RC <n>" then everything it logged.
set -u
conf=$1 node=$2 wait=$3
shift 3
work=$(mktemp -d /tmp/halint-oracle.XXXXXX)
trap 'rm -rf "$work"' EXIT

cp -a /etc/ha.d "$work/ha.d"
rm -f "$work/ha.d/ha.cf" "$work/ha.d/authkeys" "$work/ha.d/haresources"
cp -a "$conf/." "$work/ha.d/"
mkdir -p "$work/log" "$work/run" "$work/lib"
cp -a /var/lib/heartbeat/. "$work/lib/" 2>/dev/null
. "$(dirname "$0")/mount_node.sh"
if [ -n "${HALINT_ORACLE_NO_ACCOUNTS:-}" ]; then
  # A host without Heartbeat's accounts (a source build, a cleaned-up /etc/passwd).
  grep -v '^hacluster:' /etc/passwd >"$work/passwd"
  grep -v '^haclient:' /etc/group >"$work/group"
  mount --bind "$work/passwd" /etc/passwd
  mount --bind "$work/group" /etc/group
fi
if [ -n "${HALINT_ORACLE_NO_OCF:-}" ]; then
  # A host without resource-agents: the heartbeat wrappers are there, the OCF agents are not.
  mount -t tmpfs none /usr/lib/ocf/resource.d/heartbeat
fi
hostname "$node"
ip link set lo up
i=0
for spec in "$@"; do
  name=${spec%%=*}
  ip link add "$name" type veth peer name "hlpeer$i"
  ip link set "hlpeer$i" up
  ip link set "$name" up
  if [ "$spec" != "$name" ]; then
    ip addr add "${spec#*=}" brd + dev "$name"
  fi
  i=$((i + 1))
done

# Started from the case's own folder: a relative logfile or coreroot lands there, never in
# the caller's working directory (the repository, when the tests run).
cd "$work" || exit 1
timeout 10 /usr/libexec/heartbeat/heartbeat >"$work/stdout" 2>"$work/stderr"
rc=$?
# An accepted start detaches; the haresources check and the media open come after that.
sleep "$wait"
alive=no
pgrep -x heartbeat >/dev/null && alive=yes
echo "HALINT-ORACLE-RC $rc"
echo "HALINT-ORACLE-ALIVE $alive"
echo "HALINT-ORACLE-STDERR"
cat "$work/stderr"
echo "HALINT-ORACLE-LOGS"
find /var/log -type f -exec cat {} + 2>/dev/null
pkill -x heartbeat 2>/dev/null
exit 0
