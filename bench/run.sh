#!/usr/bin/env bash
# The benchmarks of issue 7, in one command: builds the jar if it is missing, installs the load tools
# (Debian: wrk, pgbench, redis-tools, sysstat, jq; npm: bench/package-lock.json), builds the dataset,
# runs every measurement script in turn, and renders bench/results/benchmarks.md from their raw
# results (bench/work/results/*.json) with the machine's facts.
#
#   SCALE=1       dataset size, a fraction of 1,000 boards × 5 columns × 200 tasks
#   DURATION=30   seconds of each measured phase (warm-ups: WARMUP, default max(DURATION, 120) for read,
#                 fanout, write and flood, where C2 was still compiling after 60 s on the server's one
#                 core (about 15% of its CPU; moves took 4.8 ms of CPU each after 60 s, 2.6 after
#                 120 s; the flood's p99 fell repeat by repeat after 20 s), 10 s for capacity)
#   REPEATS=3     runs of each measurement; the table shows medians
#   ONLY=a,b      only these measurements (names: read fanout capacity write startup, or any bench/<name>.sh)
#   PROFILE=1     a JFR profile of each measured Boardcast phase into bench/work/<name>.jfr
#                 (summary: bench/tools/jfr_top.sh FILE)
#   REUSE_DATASET=1  keep the dataset of an earlier run at the same SCALE instead of building it anew
#   PRELIMINARY="why"  marks the rendered table as preliminary
#
# Needs: a JDK 17 (and /usr/lib/jvm/temurin-25-jdk-amd64, which runs Boardcast where present, see
# lib.sh, and startup's AOT variant), Node 20+ with
# npm, and the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust) and Redis
# (127.0.0.1:6379); root to install missing Debian packages and to pin PostgreSQL/Redis to a core.
# A benchmark, not a test: a failing measurement is reported in the table, and the script goes on.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)

# Tools.
missing=()
for tool in wrk:wrk pgbench:postgresql-client redis-cli:redis-tools mpstat:sysstat jq:jq curl:curl; do
  command -v "${tool%%:*}" > /dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" > /dev/null
fi
if [ ! -x "$NODE22" ] || [ "$BENCH_DIR/package-lock.json" -nt "$BENCH_DIR/node_modules/.package-lock.json" ]; then
  log "installing the bench's npm packages"
  (cd "$BENCH_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
"${PSQL[@]}" -d postgres -c 'SELECT 1' > /dev/null || { log "no PostgreSQL on 127.0.0.1:5432 (user postgres)"; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping > /dev/null || { log "no Redis on 127.0.0.1:6379"; exit 1; }

if [ ! -f "$JAR" ]; then
  log "building the jar"
  ./mvnw -B -q -DskipTests package
fi

# A fresh dataset each run (the write measurements move tasks around); REUSE_DATASET=1 keeps one
# already built at this scale.
if [ "${REUSE_DATASET:-0}" = 1 ]; then "$BENCH_DIR/dataset.sh"; else REBUILD=1 "$BENCH_DIR/dataset.sh"; fi

# Measurements: these first, in this order, then any other bench/<name>.sh.
known=(read fanout capacity write startup)
names=()
for name in "${known[@]}"; do [ -f "$BENCH_DIR/$name.sh" ] && names+=("$name"); done
for script in "$BENCH_DIR"/*.sh; do
  name=$(basename "$script" .sh)
  case " run dataset lib ${known[*]} " in *" $name "*) continue ;; esac
  names+=("$name")
done
if [ -n "${ONLY:-}" ]; then
  wanted=()
  for name in "${names[@]}"; do case ",$ONLY," in *",$name,"*) wanted+=("$name") ;; esac; done
  names=("${wanted[@]}")
fi
log "measurements: ${names[*]}"

for name in "${names[@]}"; do
  log "== $name"
  rm -f "$RESULTS/$name.json"
  if ! "$BENCH_DIR/$name.sh" > "$WORK/$name.out" 2>&1; then
    log "$name failed: $(tail -3 "$WORK/$name.out")"
    jq -n --arg name "$name" --arg tail "$(tail -5 "$WORK/$name.out")" \
      '{section: $name, setup: null, rows: [], notes: ["The measurement failed; the end of its output (bench/work/\($name).out): \($tail)"]}' \
      > "$RESULTS/$name.json"
  fi
  tmp=$(mktemp); jq --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '.measuredAt = $at' "$RESULTS/$name.json" > "$tmp" && mv "$tmp" "$RESULTS/$name.json"
done

# Machine facts for the table.
pg_version=$("${PSQL[@]}" -d postgres -Atc 'SHOW server_version')
redis_version=$(redis-cli -h 127.0.0.1 info server | awk -F: '/^redis_version/ {gsub("\r", ""); print $2}')
jdk25=$JDK25/bin/java
jq -n --arg date "$started" \
  --arg cores "$(nproc) ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))" \
  --arg memory "$(free -g | awk '/Mem:/ {print $2}') GiB" \
  --arg jdk "Boardcast on $("$JAVA" -version 2>&1 | head -1)$([ -x "$jdk25" ] && [ "$JAVA" != "$jdk25" ] && echo "; for startup's AOT variant: $("$jdk25" -version 2>&1 | head -1)")" \
  --arg pg "PostgreSQL $pg_version, as installed (shared_buffers $("${PSQL[@]}" -d postgres -Atc 'SHOW shared_buffers'), synchronous_commit $("${PSQL[@]}" -d postgres -Atc 'SHOW synchronous_commit'))" \
  --arg redis "Redis $redis_version" --arg node "$("$NODE22" --version) (load tools, PostGraphile)" \
  --arg kernel "$(uname -sr)" \
  --arg load "before $load_before, after $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min)" \
  --arg knobs "SCALE=$SCALE ($(dataset_boards) boards), DURATION=$DURATION s, REPEATS=$REPEATS${ONLY:+, ONLY=$ONLY}${PROFILE:+, PROFILE=$PROFILE}" \
  '{date: $date, facts: {date: $date, cores: $cores, memory: $memory, JDK: $jdk, PostgreSQL: $pg, Redis: $redis,
    Node: $node, kernel: $kernel, "load average": $load, settings: $knobs}}' > "$WORK/machine.json"

if [ -n "${PRELIMINARY:-}" ]; then
  "$NODE22" "$BENCH_DIR/render.mjs" --preliminary "$PRELIMINARY"
else
  "$NODE22" "$BENCH_DIR/render.mjs"
fi
log "results: bench/results/benchmarks.md"
