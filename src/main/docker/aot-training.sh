#!/bin/sh
# The AOT cache's training start (Dockerfile.jvm, "training" stage): starts the packaged server with
# -XX:AOTCacheOutput against the database $1 (a postgresql://host:port/db URL; empty: no training, no cache), in a
# schema of its own (use a throwaway database: the schema stays), sends it the requests a deployment serves most, and
# stops it normally: the JVM writes the cache as it exits. Always leaves /tmp/aot/, empty when no cache was written.
set -eu
JAR="${APP_JAR:-/deployments/quarkus-run.jar}"
OUT="${AOT_DIR:-/tmp/aot}"
JAVA_OPTS="${JAVA_OPTS:-}"
mkdir -p "$OUT"
DB="${1:-}"
if [ -z "$DB" ]; then
    echo "aot-training: no TRAINING_DB, the image has no AOT cache"
    exit 0
fi
SCHEMA="aot_training_$(date +%s)"
export QUARKUS_DATASOURCE_REACTIVE_URL="$DB?search_path=$SCHEMA"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:$DB?currentSchema=$SCHEMA"
export QUARKUS_DATASOURCE_USERNAME="$2"
export QUARKUS_DATASOURCE_PASSWORD="${3:-}"
export QUARKUS_FLYWAY_SCHEMAS="$SCHEMA"
export QUARKUS_HTTP_PORT="${TRAINING_PORT:-18080}"
export STOREMAN_KEYS_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)"
export STOREMAN_PASSWORD_MEMORY_KIB=7168
# shellcheck disable=SC2086
java $JAVA_OPTS -XX:AOTCacheOutput="$OUT/app.aot" -jar "$JAR" &
PID=$!
BASE="http://127.0.0.1:$QUARKUS_HTTP_PORT"
i=0
until curl -fsS "$BASE/q/health/ready" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 120 ]; then
        echo "aot-training: the server did not become ready" >&2
        kill "$PID"
        exit 1
    fi
    sleep 1
done
EMAIL="training-$(date +%s)@example.com"
PASSWORD="aot training password"
curl -fsS -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" \
    "$BASE/api/v1/users" >/dev/null
APP=$(curl -fsS -u "$EMAIL:$PASSWORD" -H 'Content-Type: application/json' \
    -d '{"name":"AOT training","scopes":"public read_spaces write_spaces"}' "$BASE/api/v1/oauth/applications")
CLIENT_ID=$(printf '%s' "$APP" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
CLIENT_SECRET=$(printf '%s' "$APP" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
for round in 1 2 3 4 5; do
    TOKENS=$(curl -fsS -d grant_type=password --data-urlencode "username=$EMAIL" --data-urlencode "password=$PASSWORD" \
        -d "client_id=$CLIENT_ID" -d "client_secret=$CLIENT_SECRET" --data-urlencode 'scope=public read_spaces write_spaces' \
        "$BASE/oauth/token")
    ACCESS=$(printf '%s' "$TOKENS" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
    REFRESH=$(printf '%s' "$TOKENS" | sed 's/.*"refresh_token":"\([^"]*\)".*/\1/')
    curl -fsS -H "Authorization: Bearer $ACCESS" "$BASE/api/v1/me" >/dev/null
    curl -fsS -H "Authorization: Bearer $ACCESS" -H 'Content-Type: application/json' -d '{"name":"shelf"}' \
        "$BASE/api/v1/spaces" >/dev/null
    curl -fsS -H "Authorization: Bearer $ACCESS" "$BASE/api/v1/spaces" >/dev/null
    curl -fsS -d grant_type=refresh_token -d "refresh_token=$REFRESH" -d "client_id=$CLIENT_ID" \
        -d "client_secret=$CLIENT_SECRET" "$BASE/oauth/token" >/dev/null
    curl -fsS "$BASE/.well-known/jwks.json" "$BASE/users/sign_in" >/dev/null
done
kill -TERM "$PID"
wait "$PID" || true
test -s "$OUT/app.aot" && echo "aot-training: wrote $OUT/app.aot ($(wc -c < "$OUT/app.aot") bytes)"
