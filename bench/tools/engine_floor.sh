#!/usr/bin/env bash
# What bare graphql-java costs for the board read (see EngineFloor.java): the app's libraries from
# the jar, the real schema, one board in memory, on one core ($SUT_CPU) as the read benchmark runs
# the server. Prints one JSON line per variant and run. Usage: engine_floor.sh [SECONDS per variant]
source "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
unzip -q -o "$JAR" 'BOOT-INF/lib/*' -d "$tmp"
taskset -c "$SUT_CPU" "$JAVA" -cp "$tmp/BOOT-INF/lib/*" "$BENCH_DIR/tools/EngineFloor.java" "$ROOT/schema" "${1:-20}"
