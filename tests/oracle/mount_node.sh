# Sourced by run_heartbeat.sh and cluster_node.sh: give this mount namespace the node's own
# /etc/ha.d, /var/log, /run and /var/lib/heartbeat from the folder $work, and Heartbeat's run
# directories.
mount --bind "$work/ha.d" /etc/ha.d
mount --bind "$work/log" /var/log
mount --bind "$work/run" /run
mount --bind "$work/lib" /var/lib/heartbeat
mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/heartbeat/rsctmp
chown hacluster:haclient /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd 2>/dev/null
mkdir -p /run/resource-agents
