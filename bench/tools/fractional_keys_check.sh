#!/usr/bin/env bash
# Checks that bench/sql/fractional_keys.sql makes exactly the keys of the app's FractionalKeys, on
# random placements (the pgbench write reference depends on it). Prints "N keys, M differ".
source "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
unzip -q -o "$JAR" 'BOOT-INF/classes/dev/boardcast/common/FractionalKeys*' -d "$tmp"
"$JAVA" -cp "$tmp/BOOT-INF/classes" "$BENCH_DIR/tools/KeysCheck.java" "${1:-3000}" > "$tmp/cases.tsv"
"${PSQL[@]}" -d "$BENCH_DB" -f "$BENCH_DIR/sql/fractional_keys.sql"
"${PSQL[@]}" -d "$BENCH_DB" -At <<SQL
CREATE TEMP TABLE cases (before text, after text, key text);
\copy cases FROM '$tmp/cases.tsv'
SELECT count(*) || ' keys, ' || count(*) FILTER (WHERE bench_key_between(before, after) IS DISTINCT FROM key) || ' differ' FROM cases;
SQL
