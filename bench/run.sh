#!/usr/bin/env bash
# Storeman auth benchmark: packages the app, starts it on the local PostgreSQL with fresh data, measures the
# password-hash limit of this machine, then drives each scenario with wrk and prints one table.
#
#   bench/run.sh                 # 30 s per scenario, 32 connections
#   DURATION=10s bench/run.sh    # shorter
#   SKIP_BUILD=1 bench/run.sh    # reuse target/quarkus-app
#   PROFILE=1 bench/run.sh       # also a JFR recording and hot-methods view of each scenario, in bench/results/
#   MEMORY=1 bench/run.sh        # also the heap, native memory tracking and mappings after the run, in bench/results/
#   ASYNC_PROFILER=1 bench/run.sh  # also async-profiler's CPU samples of each scenario, per thread, in bench/results/
#   SOAK_MINUTES=30 bench/run.sh # instead of the scenarios: refreshes at full speed for 30 minutes, printing the RSS,
#                                # the heap and the revocation list's size every minute (they must stay flat)
#
# Everything runs on this machine: the server, PostgreSQL and wrk share its cores.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-10s}
PORT=${PORT:-8289}
SCHEMA=${SCHEMA:-storeman_perf}
USERS=${USERS:-300}
ITEMS=${ITEMS:-10000}
PASSWORD="bench password 1234"
OWNER="bench-owner@storeman.bench"
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
# The server's JVM: Temurin 25 when installed (AOT cache, faster ECDSA), else the default java. JAVA_OPTS are the
# production options of the README ("Running in production: JVM options"); JAVA_OPTS= runs on JVM defaults.
TEMURIN_25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
if [ -z "${JAVA:-}" ]; then
  if [ -x "$TEMURIN_25" ]; then JAVA=$TEMURIN_25; else JAVA=java; fi
fi
JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
JAVA_OPTS_DEFAULT="-XX:+UseParallelGC -Xms32m -Xmx96m -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
if [ "${JAVA_FEATURE%%.*}" -ge 22 ]; then JAVA_OPTS_DEFAULT="$JAVA_OPTS_DEFAULT -XX:TrimNativeHeapInterval=10000"; fi
JAVA_OPTS=${JAVA_OPTS-$JAVA_OPTS_DEFAULT}
START_RUNS=${START_RUNS:-3}
# The dpop_me scenario's proofs are all signed before its warm-up, so the last is used minutes after its iat: the
# bench server accepts proofs that old. The window changes no per-request work (the same signature check and insert).
DPOP_PROOF_WINDOW=${DPOP_PROOF_WINDOW:-PT10M}
PSQL=(psql -h 127.0.0.1 -U postgres -d postgres -qAt -v ON_ERROR_STOP=1)
# The production profile refuses to keep signing keys without a key-encryption key: one of this run's own (the schema
# is fresh each run).
KEK=$(head -c 32 /dev/urandom | base64)

command -v wrk >/dev/null || { echo "Installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { echo "Installing jq"; apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "Packaging"
  ./mvnw -B -q package -DskipTests
fi
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null
./mvnw -B -q test-compile >/dev/null

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# The class-data archive of the server's start: an AOT cache (JEP 483/514/515) on JDK 25 and later, a dynamic AppCDS
# archive before. `start_server train` writes it when the server stops; every other start reads it.
if [ "${JAVA_FEATURE%%.*}" -ge 25 ]; then
  ARCHIVE=target/quarkus-app/app.aot; ARCHIVE_WRITE=-XX:AOTCacheOutput=$ARCHIVE; ARCHIVE_READ=-XX:AOTCache=$ARCHIVE
else
  ARCHIVE=target/quarkus-app/app-cds.jsa; ARCHIVE_WRITE=-XX:ArchiveClassesAtExit=$ARCHIVE
  ARCHIVE_READ=-XX:SharedArchiveFile=$ARCHIVE
fi

# Polls readiness every 10 ms from one long-lived process: a curl started every 20 ms took about a quarter of a
# core on these 2 cores, which the starting server then lacked. Fails when the server dies first.
wait_ready() {
  if command -v python3 >/dev/null; then
    python3 - "$PORT" "$SERVER_PID" <<'PY'
import http.client, os, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
while True:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/q/health/ready")
        if connection.getresponse().status == 200:
            sys.exit(0)
    except OSError:
        pass
    finally:
        connection.close()
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    time.sleep(0.01)
PY
  else
    until curl -fs "$BASE/q/health/ready" >/dev/null 2>&1; do
      kill -0 "$SERVER_PID" 2>/dev/null || return 1
      sleep 0.05
    done
  fi
}

start_server() {
  # The training start lists no first-party owner: the owner signs up then, before its e-mail is listed (D9).
  local archive=$ARCHIVE_READ owners=$OWNER
  if [ "${1:-}" = train ]; then rm -f "$ARCHIVE"; archive=$ARCHIVE_WRITE; owners=; fi
  QUARKUS_HTTP_PORT=$PORT \
  QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/postgres?search_path=$SCHEMA" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=$SCHEMA" \
  QUARKUS_FLYWAY_SCHEMAS=$SCHEMA QUARKUS_FLYWAY_CREATE_SCHEMAS=true \
  STOREMAN_ISSUER="$BASE" STOREMAN_OAUTH_FIRST_PARTY_OWNERS="$owners" STOREMAN_KEYS_ENCRYPTION_KEY="$KEK" \
  STOREMAN_THROTTLE_ADDRESS_FAILURES=1000000 STOREMAN_OAUTH_GRANTS_PER_USER=1000000 \
  STOREMAN_THROTTLE_SIGN_UPS=1000000 STOREMAN_THROTTLE_SIGN_UP_ATTEMPTS=1000000 \
  STOREMAN_DPOP_PROOF_WINDOW=$DPOP_PROOF_WINDOW \
  MALLOC_ARENA_MAX=2 \
    "$JAVA" $archive ${JAVA_OPTS} ${MEMORY:+-XX:NativeMemoryTracking=summary} -jar target/quarkus-app/quarkus-run.jar >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  local start; start=$(date +%s%N)
  wait_ready || { cat "$WORK/server.log"; echo "server died" >&2; exit 1; }
  READY_MS=$(( ($(date +%s%N) - start) / 1000000 ))
  STARTED_IN=$(grep -o 'started in [0-9.]*s' "$WORK/server.log" | tail -1 | grep -o '[0-9.]*')
}

register() {
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" \
    "$BASE/api/v1/users" || { echo "Sign-up of $1 failed" >&2; return 1; }
}

echo "Fresh schema $SCHEMA"
"${PSQL[@]}" -c "drop schema if exists $SCHEMA cascade"
start_server train   # migrates the schema; the archive is written as it stops
register "$OWNER"
stop_server
[ -s "$ARCHIVE" ] || echo "No class-data archive was written ($ARCHIVE): the measured starts run without one" >&2
# The measured starts (existing schema); the last one stays up for the scenarios.
READY_RUNS=()
for run in $(seq 1 "$START_RUNS"); do
  [ "$run" -eq 1 ] || stop_server
  start_server
  READY_RUNS+=("$READY_MS")
  echo "  start $run: ready after ${READY_MS} ms (Quarkus: ${STARTED_IN}s)"
done
READY_MS=$(printf '%s\n' "${READY_RUNS[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
echo "Ready after ${READY_MS} ms, median of $START_RUNS starts (wall clock, $(basename "$ARCHIVE") archive, existing schema)"

# The Argon2id limit: verifications per second on all cores, the server up and idle. Measured first, and again just
# before the password grant, whose share is taken against that second figure: the speed of these shared machines
# drifts by a quarter within minutes, and the first measurement is six minutes older than the grant's run.
measure_hash_limit() {
  local line
  # As the server runs it (its jar enables native access, Quarkus installs the JBoss LogManager): without these
  # flags JNA's loading of libsodium and the first log line each print a warning.
  line=$("$JAVA" --enable-native-access=ALL-UNNAMED -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "target/test-classes:target/classes:$(cat "$WORK/cp.txt")" io.storeman.account.HashRate 7168 5 10)
  HASH_ENGINE=$(echo "$line" | cut -d' ' -f1)
  HASH_RATE=$(echo "$line" | cut -d' ' -f3)
  echo "Argon2id (m=7168 KiB, t=5, p=1, $HASH_ENGINE, all cores): $HASH_RATE hashes/s"
}
echo "Measuring the Argon2id limit of this machine"
measure_hash_limit
HASH_RATE_FIRST=$HASH_RATE

echo "Seeding $USERS users, one first-party application, $ITEMS items"
EMAILS=()
PIDS=()
for i in $(seq 1 "$USERS"); do
  email="bench-$i@storeman.bench"; EMAILS+=("$email")
  register "$email" & PIDS+=($!)
  if (( i % 8 == 0 )); then wait "${PIDS[@]}"; PIDS=(); fi
done
[ ${#PIDS[@]} -eq 0 ] || wait "${PIDS[@]}"
APP=$(curl -fs -u "$OWNER:$PASSWORD" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":"public read_items write_items read_spaces write_spaces"}' "$BASE/api/v1/oauth/applications")
CLIENT_ID=$(echo "$APP" | jq -r .client_id)
CLIENT_SECRET=$(echo "$APP" | jq -r .client_secret)
CLIENT="client_id=$CLIENT_ID&client_secret=$CLIENT_SECRET"
password_token() {
  curl -fs -d "grant_type=password&username=$1&password=$PASSWORD&scope=public read_items read_spaces write_spaces&$CLIENT" "$BASE/oauth/token"
}
USER_TOKEN=$(password_token "${EMAILS[0]}" | jq -r .access_token)
SPACE_ID=$(curl -fs -H "Authorization: Bearer $USER_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Warehouse","description":"bench"}' "$BASE/api/v1/spaces" | jq -r .id)
"${PSQL[@]}" -c "set search_path=$SCHEMA; insert into items (space_id, name, description, quantity)
  select $SPACE_ID, 'item ' || g, 'seeded', g % 100 from generate_series(1, $ITEMS) g; analyze items;"
# Separate token pools for the warm-up and the measured run: a refresh token used in the warm-up would be a reuse.
for pool in warm measured; do
  for i in $(seq 1 $(( CONNECTIONS * 4 ))); do
    password_token "${EMAILS[$(( i % USERS ))]}" | jq -r .refresh_token
  done >"$WORK/refresh_tokens_$pool.txt"
  for i in $(seq 1 500); do
    curl -fs -d "grant_type=client_credentials&$CLIENT" "$BASE/oauth/token" | jq -r .access_token
  done >"$WORK/revoke_tokens_$pool.txt"
done
INTROSPECTED=$(password_token "${EMAILS[1]}" | jq -r .access_token)

JAVA_BIN_DIR=$(dirname "$(readlink -f "$(command -v "$JAVA")")")
JCMD=$JAVA_BIN_DIR/jcmd; JFR=$JAVA_BIN_DIR/jfr
# SOAK_MINUTES=N: refresh rotations at full speed for N minutes on the production options, with a line a minute: the
# server's RSS, its live heap (the old generation right after a full collection, which jcmd asks for: a collector may
# otherwise keep tenured garbage for many minutes; the young one fills again within milliseconds under load), the revocation list's size on this instance and in the database, and the refresh
# tokens issued so far. Every rotation retires an access token: the list must stay flat all the same.
metric() { curl -fs "$BASE/q/metrics" | awk -v name="$1" 'index($0, name) == 1 {v += $NF} END {printf "%d", v}'; }
if [ -n "${SOAK_MINUTES:-}" ]; then
  echo "Soak: refresh rotations for $SOAK_MINUTES minutes, $CONNECTIONS connections"
  cat "$WORK/refresh_tokens_warm.txt" "$WORK/refresh_tokens_measured.txt" >"$WORK/refresh_tokens_soak.txt"
  TOKENS_FILE="$WORK/refresh_tokens_soak.txt" THREADS="$THREADS" CLIENT_ID="$CLIENT_ID" CLIENT_SECRET="$CLIENT_SECRET" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$(( SOAK_MINUTES * 60 ))s" --latency -s bench/lua/refresh.lua \
    "$BASE/oauth/token" >"$WORK/soak.txt" 2>&1 &
  WRK_PID=$!
  printf '%-7s %8s %10s %12s %12s %14s\n' minute "RSS MB" "live heap" "list (mem)" "list (db)" "refresh rows"
  for minute in $(seq 0 "$SOAK_MINUTES"); do
    [ "$minute" -eq 0 ] || sleep 60
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died"; tail -20 "$WORK/server.log"; exit 1; }
    "$JCMD" "$SERVER_PID" GC.run >/dev/null
    rows=$("${PSQL[@]}" -Atc "select (select count(*) from $SCHEMA.revocations) || ' ' || (select count(*) from $SCHEMA.refresh_tokens)")
    printf '%-7s %8d %10d %12d %12d %14d\n' "$minute" "$(( $(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status") / 1024 ))" \
      "$(( $(metric 'jvm_memory_used_bytes{area="heap",id="PS Old Gen"') / 1048576 ))" "$(metric storeman_revocation_list_size)" $rows
  done
  wait "$WRK_PID" || true
  echo; sed -n '/Latency Distribution/,$p' "$WORK/soak.txt"
  echo "JVM options: ${JAVA_OPTS:-(defaults)}"
  exit 0
fi

# run NAME SCRIPT PATH [ENV...]: drives one scenario (SCRIPT "-" for a plain GET) and appends a row to the table.
# A TOKENS=NAME argument gives the script the token pool NAME, a fresh one for the warm-up and the measured run.
# cpu_ticks: clock ticks used so far by the server, by PostgreSQL (all its processes), and by the whole machine
# (busy, total); cpu_split BEFORE AFTER: how the machine's time went during a run, in % of all cores.
cpu_ticks() {
  local server pg
  server=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  pg=$(for p in $(pgrep -u postgres); do cat "/proc/$p/stat" 2>/dev/null; done | awk '{s += $14 + $15} END {print s + 0}')
  echo "$server $pg $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)"
}
cpu_split() {
  echo "$1 $2" | awk '{ total = $8 - $4; if (total <= 0) total = 1;
    printf "server %2.0f%%  postgres %2.0f%%  rest %2.0f%%  idle %2.0f%%", 100 * ($5 - $1) / total,
      100 * ($6 - $2) / total, 100 * (($7 - $3) - ($5 - $1) - ($6 - $2)) / total, 100 * (total - ($7 - $3)) / total }'
}

# ONLY="items refresh" runs just the scenarios whose names contain one of these words (the seeding still runs).
selected() { [ -z "${ONLY:-}" ] || echo "$1" | grep -qiE "$(echo "$ONLY" | tr ' ' '|')"; }
# PROFILE=1 records each measured run with JFR (settings=profile) into bench/results/, with its hot methods.
ROWS=()
# ASYNC_PROFILER=1 (or the path of a libasyncProfiler.so) samples the server's CPU during each measured run with
# async-profiler, which also sees native code (libsodium, the signing provider) and the kernel, unlike JFR: collapsed
# stacks in bench/results/NAME.collapsed and each thread's share of the samples in NAME.threads.txt. 1 fetches it first.
if [ "${ASYNC_PROFILER:-}" = 1 ]; then
  ./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1:jar:linux-x64 \
    -DoutputDirectory=target/async-profiler
  (cd target/async-profiler && "$JAVA_BIN_DIR/jar" xf async-profiler-4.1-linux-x64.jar)
  ASYNC_PROFILER=$PWD/target/async-profiler/linux-x64/libasyncProfiler.so
fi
if [ -n "${PROFILE:-}${ASYNC_PROFILER:-}" ]; then
  PROFILE_DIR=$PWD/bench/results; mkdir -p "$PROFILE_DIR"
fi
# thread_shares FILE: the share of each thread in collapsed stacks, numbered threads of one kind (the event loops, the
# hash threads) counted together.
thread_shares() {
  awk '{ name = $0; sub(/;.*/, "", name); sub(/ tid=[0-9]+\]/, "]", name); sub(/[0-9]+\]$/, "N]", name)
         samples[name] += $NF; total += $NF }
       END { for (name in samples) printf "%5.1f%%  %s\n", 100 * samples[name] / total, name }' "$1" | sort -rn
}
# The agent's options go through jcmd as one quoted argument: unquoted, jcmd would split them at each '='. jcmd exits
# with 0 even when the agent refuses a command, so its answer is checked.
profiler() {
  local answer; answer=$("$JCMD" "$SERVER_PID" JVMTI.agent_load "$ASYNC_PROFILER" "'$1'" 2>&1)
  [[ $answer == *"return code: 0"* ]] || { echo "async-profiler refused '$1': $answer" >&2; return 1; }
}
run() {
  local name=$1 script=$2 path=$3; shift 3
  selected "$name" || return 0
  local with_script=() warm_env=("$@") measured_env=("$@")
  if [ "$script" != "-" ]; then with_script=(-s "bench/lua/$script"); fi
  local i
  for i in "${!warm_env[@]}"; do
    if [[ ${warm_env[$i]} == TOKENS=* ]]; then
      warm_env[$i]="TOKENS_FILE=$WORK/${warm_env[$i]#TOKENS=}_warm.txt"
      measured_env[$i]="TOKENS_FILE=$WORK/${measured_env[$i]#TOKENS=}_measured.txt"
    fi
  done
  env "${warm_env[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${with_script[@]}" "$BASE$path" >/dev/null 2>&1 || true
  local slug; slug=$(echo "$name" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '_' | sed 's/_*$//')
  if [ -n "${PROFILE:-}" ]; then "$JCMD" "$SERVER_PID" JFR.start name="$slug" settings=profile >/dev/null; fi
  if [ -n "${ASYNC_PROFILER:-}" ]; then profiler start,event=cpu,interval=1ms,threads; fi
  local before; before=$(cpu_ticks)
  local out; out=$(env "${measured_env[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${with_script[@]}" "$BASE$path")
  local after; after=$(cpu_ticks)
  if [ -n "${ASYNC_PROFILER:-}" ]; then
    profiler "stop,file=$PROFILE_DIR/$slug.collapsed,collapsed"
    thread_shares "$PROFILE_DIR/$slug.collapsed" >"$PROFILE_DIR/$slug.threads.txt"
  fi
  if [ -n "${PROFILE:-}" ]; then
    "$JCMD" "$SERVER_PID" JFR.stop name="$slug" filename="$PROFILE_DIR/$slug.jfr" >/dev/null
    "$JFR" view --width 200 hot-methods "$PROFILE_DIR/$slug.jfr" >"$PROFILE_DIR/$slug.hot-methods.txt" 2>&1 || true
  fi
  local rps p50 p99 non2xx errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}'); non2xx=${non2xx:-0}
  errors=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}'); errors=${errors:-0}
  ROWS+=("$(printf '%-28s %12s %10s %10s %8s  %s' "$name" "$rps" "$p50" "$p99" "$((non2xx + errors))" \
    "$(cpu_split "$before" "$after")")")
  echo "  $name: $rps req/s"
}

echo "Running scenarios: $DURATION each after $WARMUP warm-up, $CONNECTIONS connections, $THREADS wrk threads"
run "health (floor)"          -            /q/health/live
run "GET /api/v1/me"          bearer_get.lua /api/v1/me TOKEN="$USER_TOKEN"
# dpop_me: the same call with a DPoP-bound token and a fresh proof each time (one signature check, one insert into
# dpop_proofs). wrk's Lua cannot sign: DpopProofFiles signs them just before, 1.5 times what the Bearer rate above
# (or 20000 req/s when it did not run) would use, so that none runs out; one that does is a visible 401, never a replay.
seconds() { case $1 in *ms) echo 1 ;; *s) echo "${1%s}" ;; *m) echo $(( ${1%m} * 60 )) ;; *h) echo $(( ${1%h} * 3600 )) ;; *) echo "$1" ;; esac; }
if selected "dpop_me"; then
  ME_RPS=$(printf '%s\n' "${ROWS[@]}" | awk '/^GET \/api\/v1\/me / {printf "%d", $3}'); ME_RPS=${ME_RPS:-20000}
  echo "Signing DPoP proofs for ${ME_RPS} req/s"
  "$JAVA" -cp "target/test-classes:target/classes:$(cat "$WORK/cp.txt")" io.storeman.bench.DpopProofFiles "$BASE" \
    "$CLIENT_ID" "$CLIENT_SECRET" "${EMAILS[2]}" "$PASSWORD" \
    $(( ME_RPS * $(seconds "$WARMUP") * 3 / 2 + 1000 )) $(( ME_RPS * $(seconds "$DURATION") * 3 / 2 + 1000 )) "$WORK"
  DPOP_TOKEN=$(cat "$WORK/dpop_token.txt")
fi
run "dpop_me (GET /api/v1/me)" dpop_get.lua /api/v1/me TOKEN="${DPOP_TOKEN:-}" TOKENS=dpop_proofs THREADS="$THREADS"
run "items page (50)"         bearer_get.lua "/api/v1/spaces/$SPACE_ID/items?limit=50" TOKEN="$USER_TOKEN"
run "introspection"           post_form.lua /oauth/introspect BODY="token=$INTROSPECTED&$CLIENT"
run "client_credentials"      post_form.lua /oauth/token BODY="grant_type=client_credentials&$CLIENT"
run "refresh (rotation)"      refresh.lua /oauth/token TOKENS=refresh_tokens THREADS="$THREADS" CLIENT_ID="$CLIENT_ID" CLIENT_SECRET="$CLIENT_SECRET"
run "revoke"                  revoke.lua /oauth/revoke TOKENS=revoke_tokens CLIENT_ID="$CLIENT_ID" CLIENT_SECRET="$CLIENT_SECRET"
if selected "password grant"; then
  echo "Measuring the Argon2id limit again, just before the password grant"
  measure_hash_limit
fi
run "password grant"          password_grant.lua /oauth/token USERS="$(IFS=,; echo "${EMAILS[*]}")" PASSWORD="${PASSWORD// /+}" CLIENT_ID="$CLIENT_ID" CLIENT_SECRET="$CLIENT_SECRET"

RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
RSS_PARTS=$(awk '/^RssAnon/ {a = $2} /^RssFile/ {f = $2} END {printf "anonymous %d MB, files %d MB", a / 1024, f / 1024}' \
  "/proc/$SERVER_PID/status")
if [ -n "${MEMORY:-}" ]; then
  mkdir -p bench/results
  { "$JCMD" "$SERVER_PID" GC.heap_info; "$JCMD" "$SERVER_PID" VM.native_memory summary
    "$JCMD" "$SERVER_PID" Compiler.codecache; "$JCMD" "$SERVER_PID" GC.class_histogram | head -25  # after a full GC
    "$JCMD" "$SERVER_PID" GC.heap_info
    awk '/^[0-9a-f]+-[0-9a-f]+ / {name = (NF >= 6 ? $6 : "[anonymous]")} /^Rss:/ {rss[name] += $2}
      END {for (n in rss) if (rss[n] >= 1024) printf "%8d KB  %s\n", rss[n], n}' "/proc/$SERVER_PID/smaps" | sort -rn
  } >bench/results/memory.txt 2>&1
fi
PASSWORD_RPS=$(printf '%s\n' "${ROWS[@]}" | awk '/^password grant/ {print $3}'); PASSWORD_RPS=${PASSWORD_RPS:-0}
echo
echo "Storeman auth benchmark  $(date -u +%FT%TZ)  $(nproc) cores  $("$JAVA" -version 2>&1 | head -1)"
# The machine, and how busy it was with other work (which the table counts under "rest"): the figures of a shared
# machine are floors.
echo "CPU: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %12s %10s %10s %8s  %s\n' "scenario" "req/s" "p50" "p99" "errors" "CPU of all cores during the run"
printf '%s\n' "${ROWS[@]}"
echo
echo "RSS after the run:         $(( RSS_KB / 1024 )) MB ($RSS_PARTS)"
echo "Start-up to ready:         ${READY_MS} ms wall clock, median of ${READY_RUNS[*]} (JVM, $(basename "$ARCHIVE") archive, existing schema)"
echo "JVM options:               ${JAVA_OPTS:-(defaults)}"
echo "Argon2id limit:            $HASH_RATE hashes/s just before the password grant, $HASH_RATE_FIRST at first ($HASH_ENGINE, m=7168 KiB, t=5, p=1, $(nproc) cores)"
awk -v p="$PASSWORD_RPS" -v h="$HASH_RATE" 'BEGIN { printf "Password grant / limit:    %.0f%%\n", 100 * p / h }'
ME_ROW=$(printf '%s\n' "${ROWS[@]}" | awk '/^GET \/api\/v1\/me / {print $3}')
DPOP_ROW=$(printf '%s\n' "${ROWS[@]}" | awk '/^dpop_me / {print $4}')
if [ -n "$ME_ROW" ] && [ -n "$DPOP_ROW" ]; then
  awk -v d="$DPOP_ROW" -v m="$ME_ROW" 'BEGIN { printf "dpop_me / Bearer me:       %.2f (DPoP proof window '"$DPOP_PROOF_WINDOW"' on the bench server)\n", d / m }'
fi
