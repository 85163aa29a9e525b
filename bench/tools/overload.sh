#!/usr/bin/env bash
# A replica past its capacity: board reads offered open-loop at RATE req/s (default 300, about twice
# what one core serves) over CONNECTIONS connections (default 1000: many clients, so the queue is
# the server's, not the driver's), for DURATION s after a closed-loop warm-up of WARMUP s (32
# connections, whose answered reads per second are the capacity the variant is held to). Per
# variant of the server (VARIANTS, "name:NAME=value,NAME=value" words, the NAME=value pairs its
# environment, BENCH_JAR=path another jar, an earlier commit's say; default: the default bound,
# BOARDCAST_LIMITS_MAX_WAIT=500ms, and no bound in practice, 1 h): answered and refused (503) per
# second, the answered reads' p50/p99, and the largest heap before a collection in the GC log.
# One server on SUT_CPU, PostgreSQL and the driver on AUX_CPU, as in bench/read.sh; needs the
# files of an earlier run of bench/read.sh (bench/work/read).   RATE=300 bench/tools/overload.sh
# Not a test.
source "$(dirname "$0")/../lib.sh"
DIR=$WORK/read
PORT=$((BENCH_PORT_BASE + 92))
RATE=${RATE:-300}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-60}
trap 'stop_server; unpin_services' EXIT
pin_services "$AUX_CPU"
W=BOARDCAST_LIMITS_MAX_WAIT
DEFAULT_VARIANTS="default: unbounded:$W=1h"
for variant in ${VARIANTS:-$DEFAULT_VARIANTS}; do
  name=${variant%%:*}; IFS=, read -r -a words <<< "${variant#*:}"
  env=(); jar=$JAR
  for word in "${words[@]}"; do case $word in BENCH_JAR=*) jar=${word#BENCH_JAR=} ;; *) env+=("$word") ;; esac; done
  gc=$WORK/overload-gc-$name.log
  JAR=$jar SERVER_NAME=overload JVM_OPTS="${JVM_OPTS:-} -Xlog:gc:file=$gc" start_server "$PORT" "${SERVER_ENV[@]}" "${env[@]}"
  capacity=$(taskset -c "$AUX_CPU" wrk -t1 -c 32 --timeout 10s -d "${WARMUP}s" -s "$BENCH_DIR/driver/graphql.lua" \
    "http://127.0.0.1:$PORT/graphql" -- "$DIR/boardcast.json" "$DIR/ids.txt" "$DIR/tokens.txt" | tail -1 | jq '(.requests - .errors) / .seconds * 10 | round / 10')
  before=$(wc -l < "$gc")
  out=$(taskset -c "$AUX_CPU" "$NODE22" "$BENCH_DIR/driver/load.mjs" --url "http://127.0.0.1:$PORT/graphql" --workload read \
    --rate "$RATE" --duration "$DURATION" --connections "${CONNECTIONS:-1000}" \
    --template "$DIR/boardcast.json" --ids "$DIR/ids.txt" --tokens "$DIR/tokens.txt")
  # the largest heap before a collection in the measured phase, in MB
  heap=$(tail -n +"$((before + 1))" "$gc" | grep -o '[0-9]*M->[0-9]*M' | cut -d M -f1 | sort -n | tail -1)
  jq -c --arg name "$name" --argjson capacity "$capacity" --argjson heap "${heap:-null}" '{variant: $name,
      closedLoopCapacity: $capacity, offered: .rate,
      answeredPerSecond: ((.ok / .seconds) * 10 | round / 10), refusedPerSecond: (((.statuses["503"] // 0) / .seconds) * 10 | round / 10),
      statuses, answered: .okLatencyMs, all: {p50: .latencyMs.p50, p99: .latencyMs.p99}, heapBeforeGcMaxMb: $heap,
      firstErrors: .firstErrors[0:1]}' <<< "$out"
  stop_server
done
