#!/usr/bin/env bash
# AOT cache training run with real requests (JDK 25, JEP 483/514/515): starts the server with
# the given command, which must include -XX:AOTCacheOutput=<file>, drives it through the paths
# a first request takes (readiness, a development token, mutations, the board query, an error),
# then stops it with SIGTERM; the JVM writes the cache as it exits. A cache recorded this way
# holds the classes of the request path too (security filters, GraphQL execution, R2DBC,
# Jackson, the limits), not only those of the context start, and their method profiles.
#
#   deploy/aot-training.sh java -XX:AOTCacheOutput=app.aot -jar application.jar
#
# Used by the Dockerfile (embedded PostgreSQL, in-process bus: no service at build time) and
# by bench/startup.sh (the same script, so the benchmark measures the image's cache). Needs
# only bash: curl when present, else bash's /dev/tcp (the JRE image has no curl).
# Environment: PORT (default 8080). The server must run the development issuer (no JWT
# issuer configured): the training signs in through POST /dev/token.
set -euo pipefail
PORT=${PORT:-8080}
export PORT

# post PATH JSON [TOKEN]: the response body on stdout; fails when nothing answers.
post() {
  local auth=()
  if command -v curl > /dev/null; then
    [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
    curl -sf -X POST "localhost:$PORT$1" "${auth[@]}" -H 'Content-Type: application/json' -d "$2"
    return
  fi
  exec 3<> "/dev/tcp/127.0.0.1/$PORT" || return 1
  printf 'POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "${3:+Authorization: Bearer $3$'\r\n'}" "${#2}" "$2" >&3
  local response
  response=$(cat <&3)
  exec 3<&-
  [[ $response == "HTTP/1.1 2"* ]] || return 1
  printf '%s' "${response#*$'\r\n\r\n'}"
}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

"$@" &
server=$!
trap 'kill $server 2> /dev/null || true' EXIT
until token=$(post /dev/token '{"handle":"aottraining"}' 2> /dev/null | field token) && [ -n "$token" ]; do
  kill -0 $server 2> /dev/null || { echo "aot-training: the server did not start" >&2; exit 1; }
  sleep 0.2
done
board=$(post /graphql '{"query":"mutation { createBoard(input:{name:\"Training\"}) { board { id } } }"}' "$token" | field id)
column=$(post /graphql "{\"query\":\"mutation { createColumn(input:{boardId:\\\"$board\\\", name:\\\"Todo\\\"}) { column { id } } }\"}" "$token" | field id)
for i in 1 2 3; do
  post /graphql "{\"query\":\"mutation { createTask(input:{columnId:\\\"$column\\\", title:\\\"Task $i\\\"}) { task { id } } }\"}" "$token" > /dev/null
done
query="{\"query\":\"{ board(id:\\\"$board\\\") { name columns { name tasks(first:50) { nodes { id number title labels { name } assignee { handle } } } } } }\"}"
for i in $(seq 1 20); do
  post /graphql "$query" "$token" | grep '"nodes"' > /dev/null
done
# the error paths: a board that does not exist, a document that does not validate
post /graphql '{"query":"{ board(id:\"nope\") { name } }"}' "$token" > /dev/null || true
post /graphql '{"query":"{ nosuchfield }"}' "$token" > /dev/null || true
post /graphql "$(printf '{"query":"mutation { deleteBoard(input:{boardId:\\"%s\\"}) { deletedBoardId } }"}' "$board")" "$token" > /dev/null || true
trap - EXIT
kill -TERM $server
wait $server || true
