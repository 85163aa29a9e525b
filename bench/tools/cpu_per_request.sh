#!/usr/bin/env bash
# Process CPU time per request of a server during one load phase: reads the CPU time (user +
# system, all threads) of PID from /proc before and after running the load command, and divides
# by the requests the command reports. The load command must print, as its last line, JSON with
# a "requests" count (bench/driver/graphql.lua's wrk summary and driver/load.mjs do).
#
#   bench/tools/cpu_per_request.sh PID LOAD_COMMAND [ARGS...]
#
# e.g. (a Boardcast server on 20501, the read bench's files):
#   bench/tools/cpu_per_request.sh $(pgrep -f 'boardcast.jar' | head -1) \
#     wrk -t1 -c32 -d15s -s bench/driver/graphql.lua http://127.0.0.1:20501/graphql -- \
#     bench/work/read/boardcast.json bench/work/read/ids.txt bench/work/read/tokens.txt
# Prints {"requests":N,"seconds":S,"rate":R,"cpuSeconds":C,"cpuMsPerRequest":M,"cpuPercent":P}.
# Not a test. CPU time is steadier than req/s on a shared machine: compare builds with it.
set -euo pipefail
pid=$1; shift
hz=$(getconf CLK_TCK)
ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat"; }
t0=$(date +%s.%N); c0=$(ticks)
out=$("$@" | tail -1)
c1=$(ticks); t1=$(date +%s.%N)
requests=$(jq -r '.requests // .sent // empty' <<< "$out")
[ -n "$requests" ] || { echo "no request count in: $out" >&2; exit 1; }
awk -v r="$requests" -v c0="$c0" -v c1="$c1" -v hz="$hz" -v t0="$t0" -v t1="$t1" 'BEGIN {
  cpu = (c1 - c0) / hz; s = t1 - t0
  printf "{\"requests\":%d,\"seconds\":%.2f,\"rate\":%.1f,\"cpuSeconds\":%.2f,\"cpuMsPerRequest\":%.3f,\"cpuPercent\":%.0f}\n",
    r, s, r / s, cpu, (r > 0 ? cpu * 1000 / r : 0), cpu / s * 100 }'
