#!/usr/bin/env bash
# Where the CPU went in a JFR recording (PROFILE=1 runs): the hottest methods by execution samples,
# as the top frame ("self") and anywhere in the stack ("total", first 40 frames), and the share
# of samples by the area (library, or dev.boardcast package) of their innermost frame that has one,
# and the exceptions thrown (class, message, and the frame that threw them), which lib.sh's
# profile_start records. Usage: jfr_top.sh FILE.jfr [N]
set -eu
file=$1; n=${2:-25}
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
jfr print --events jdk.ExecutionSample --stack-depth 40 "$file" > "$tmp"
total=$(grep -c 'jdk.ExecutionSample' "$tmp" || true)
echo "$total execution samples"
echo "== self (top frame)"
awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); print}' "$tmp" | sort | uniq -c | sort -rn | head -"$n"
echo "== total (method anywhere in the stack, once per sample)"
awk '/stackTrace = \[/ {inside = 1; delete seen; next} inside && /^[ \t]*\]/ {inside = 0; next}
  inside {line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+line:.*/, "", line); if (!(line in seen)) {seen[line] = 1; print line}}' "$tmp" \
  | sort | uniq -c | sort -rn | head -"$n"
echo "== by area (innermost frame of a known area)"
awk '/stackTrace = \[/ {inside = 1; area = ""; next}
  inside && /^[ \t]*\]/ {inside = 0; print (area == "" ? "other" : area); next}
  inside && area == "" {
    if ($0 ~ /dev\.boardcast\./) { match($0, /dev\.boardcast\.[a-z]+/); area = substr($0, RSTART, RLENGTH) }
    else if ($0 ~ /graphql\.(execution|validation|parser|schema|language)/) area = "graphql-java"
    else if ($0 ~ /io\.r2dbc\.postgresql/) area = "r2dbc-postgresql"
    else if ($0 ~ /com\.nimbusds|springframework\.security/) area = "security (JWT)"
    else if ($0 ~ /tools\.jackson|com\.fasterxml/) area = "jackson"
    else if ($0 ~ /io\.netty/) area = "netty"
    else if ($0 ~ /reactor\.(core|netty)/) area = "reactor"
    else if ($0 ~ /org\.springframework\.graphql/) area = "spring-graphql"
    else if ($0 ~ /org\.dataloader/) area = "dataloader"
  }' "$tmp" | sort | uniq -c | sort -rn | head -"$n"
echo "== exceptions thrown (count, class: message, thrown at)"
jfr print --events jdk.JavaExceptionThrow --stack-depth 12 "$file" | awk '
  /jdk.JavaExceptionThrow/ {cls = ""; msg = ""; at = ""; inside = 0}
  /thrownClass = / {cls = $3}
  /message = / {msg = $0; sub(/^[ \t]*message = /, "", msg)}
  /stackTrace = \[/ {inside = 1; next}
  inside && at == "" && $0 !~ /java\.lang\.(Throwable|Exception|RuntimeException|Error|LinkageError|IncompatibleClassChangeError|ReflectiveOperationException)|Exception\.<init>|Error\.<init>/ {at = $1}
  /^}/ && cls != "" {print cls ": " substr(msg, 1, 60) " at " at; cls = ""}' | sort | uniq -c | sort -rn | head -"$n"
