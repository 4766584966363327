#!/usr/bin/env bash
# Watch a lab's traffic through the gateway while you update it: one request every INTERVAL
# seconds, one line each — the time and the version (and Pod) that answered, or why none did.
# Ctrl-C stops it and prints how many requests were answered and how many failed.
#
# Usage:   labs/s1-recreate/watch.sh [lab]        lab: s1-recreate (default), s2-rolling, …
# Env:     LAB_GATEWAY_PORT  the gateway's port on this machine (default 8080)
#          INTERVAL          seconds between requests (default 0.2)
#          COUNT             stop after this many requests (default: run until Ctrl-C)
set -uo pipefail

lab=${1:-s1-recreate}
url="http://${lab}.localhost:${LAB_GATEWAY_PORT:-8080}/"
interval=${INTERVAL:-0.2}
count=${COUNT:-0}
command -v curl >/dev/null || { echo "watch.sh needs curl on PATH" >&2; exit 1; }

answered=0
failed=0
summary() { echo; echo "$answered answered, $failed failed"; exit 0; }
trap summary INT TERM

echo "Watching $url (Ctrl-C to stop)"
while [ "$count" -eq 0 ] || [ $((answered + failed)) -lt "$count" ]; do
  # region request
  reply=$(curl -s -m 2 -H 'accept: application/json' -w ' %{http_code}' "$url")
  code=${reply##* }
  body=${reply% *}
  if [ "$code" = 200 ]; then
    answered=$((answered + 1))
    version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' <<<"$body")
    host=$(sed -n 's/.*"host":"\([^"]*\)".*/\1/p' <<<"$body")
    printf '%s  %-6s %s\n' "$(date +%T)" "$version" "$host"
  else
    failed=$((failed + 1))
    why=$([ "$code" = 000 ] && echo 'no connection' || echo "HTTP $code")
    printf '%s  ------ no answer (%s)\n' "$(date +%T)" "$why"
  fi
  # endregion request
  sleep "$interval"
done
summary
