#!/bin/bash
if [ $(netstat -lnupt | grep nginx | wc -l) -eq 0 ];then
        systemctl restart nginx
        if [ $(netstat -lnupt | grep nginx | wc -l) -eq 0 ];then
                systemctl stop heartbeat
        fi
else
        echo "nginx" &> /dev/null
fi
