#!/usr/bin/env bash
# HEALTHCHECK of the images without curl or wget: GET http://127.0.0.1:PORT/PATH through bash's
# /dev/tcp, healthy on HTTP 200 only.   healthcheck.sh PORT PATH
set -euo pipefail
port="${1:?port}"
path="${2:?path}"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
read -r -t 5 status <&3
[[ "$status" == HTTP/1.?\ 200* ]]
