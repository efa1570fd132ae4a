#!/bin/sh
# Heartbeat resource script for nginx: start | stop | status
case "$1" in
  start)  systemctl start nginx ;;
  stop)   systemctl stop nginx ;;
  status) if systemctl is-active --quiet nginx; then echo running; else echo stopped; fi ;;
esac
