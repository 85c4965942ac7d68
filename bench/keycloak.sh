#!/usr/bin/env bash
# The rotating refresh grant, Linkguard and Keycloak side by side, measured in the same run.
# Fetches a pinned Keycloak distribution from Maven Central (cached, checksum verified), starts it in
# production mode on its own database of the same PostgreSQL, configures a realm with refresh-token
# rotation, checks that Keycloak really refuses a reused refresh token, then lets
# bench/LinkguardBench.java start Linkguard and drive both with the same closed-loop generator
# (bench/refresh.lua), interleaved round by round.
#   bench/run.sh keycloak   (builds the jars first)   or   bench/keycloak.sh   (jars already built)
#   KC_VERSION (26.7.3), KC_JAVA_HOME (Temurin 25), BENCH_CACHE (~/.cache/linkguard-bench),
#   BENCH_SECONDS (20), BENCH_ROUNDS (2), BENCH_WARMUP_MAX_SECONDS (90: each target is warmed until two 10 s rounds agree), BENCH_CONNECTIONS (32)
set -euo pipefail
cd "$(dirname "$0")/.."
# Linkguard runs on the JDK run.sh would pick (BENCH_JAVA_HOME to choose another)
LINKGUARD_JAVA_HOME="${BENCH_JAVA_HOME:-${LINKGUARD_JAVA_HOME:-}}"
. launcher/java-runtime.sh

KC_VERSION=${KC_VERSION:-26.7.3}
KC_JAVA_HOME=${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}   # Keycloak needs Java 21+; Linkguard stays on 17
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/linkguard-bench}
CENTRAL=https://repo.maven.apache.org/maven2/org/keycloak/keycloak-quarkus-dist
KC_DB=keycloak_bench
LAUNCHER=launcher/target/launcher-0.1.0-SNAPSHOT-all.jar

die() { echo "keycloak.sh: $*" >&2; exit 1; }
[ -f "$LAUNCHER" ] || die "$LAUNCHER is missing: run bench/run.sh keycloak (it builds the jars first)"
[ -x "$KC_JAVA_HOME/bin/java" ] || die "no Java 21+ at KC_JAVA_HOME=$KC_JAVA_HOME (Keycloak needs it)"
for tool in curl unzip jq psql wrk; do command -v "$tool" >/dev/null || die "$tool is needed"; done
psql_admin() { PGOPTIONS=--client-min-messages=warning psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qAtc "$1"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---------------------------------------------------------------- the distribution (cached zip)
zip="$CACHE/keycloak-quarkus-dist-$KC_VERSION.zip"
if [ ! -f "$zip" ]; then
  mkdir -p "$CACHE"
  echo "downloading Keycloak $KC_VERSION from Maven Central" >&2
  curl -sSfL -o "$zip.part" "$CENTRAL/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip" \
    || die "download of $CENTRAL/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip failed"
  sha1=$(curl -sSfL "$CENTRAL/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip.sha1") || die "no checksum on Maven Central"
  echo "${sha1%% *}  $zip.part" | sha1sum -c --quiet - || die "checksum of the downloaded zip does not match Maven Central's"
  mv "$zip.part" "$zip"
fi

work=$(mktemp -d /tmp/linkguard-kc-bench.XXXXXX)
kc_sh_pid=""
cleanup() {
  if [ -n "$kc_sh_pid" ] && kill -0 "$kc_sh_pid" 2>/dev/null; then
    kill -TERM "$kc_sh_pid" 2>/dev/null || true   # kc.sh forwards TERM to its JVM and waits for it
    for _ in $(seq 60); do kill -0 "$kc_sh_pid" 2>/dev/null || break; sleep 0.5; done
  fi
  psql_admin "DROP DATABASE IF EXISTS $KC_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
unzip -q "$zip" -d "$work"
kc="$work/keycloak-$KC_VERSION"
mkdir -p bench/results
log=bench/results/keycloak.log

# ---------------------------------------------------------------- database, build, start
psql_admin "DROP DATABASE IF EXISTS $KC_DB WITH (FORCE)"
psql_admin "CREATE DATABASE $KC_DB"
echo "building Keycloak (db postgres, local cache)" >&2
JAVA_HOME="$KC_JAVA_HOME" "$kc/bin/kc.sh" build --db=postgres --cache=local --health-enabled=true >"$log" 2>&1 || die "kc.sh build failed, see $log"
port=$(free_port)
mgmt=$(free_port)
admin_pw="admin-$RANDOM$RANDOM$RANDOM"
echo "starting Keycloak $KC_VERSION on port $port" >&2
# trust authentication on the local PostgreSQL: the password is not checked, Keycloak only insists on one
JAVA_HOME="$KC_JAVA_HOME" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$admin_pw" \
  "$kc/bin/kc.sh" start --optimized \
    --db-url="jdbc:postgresql://127.0.0.1:5432/$KC_DB" --db-username=postgres --db-password=postgres \
    --http-enabled=true --http-host=127.0.0.1 --http-port="$port" --http-management-port="$mgmt" \
    --hostname-strict=false >>"$log" 2>&1 &
kc_sh_pid=$!
for i in $(seq 600); do
  curl -sf "http://127.0.0.1:$mgmt/health/ready" >/dev/null && break
  kill -0 "$kc_sh_pid" 2>/dev/null || die "Keycloak exited during start-up, see $log"
  [ "$i" = 600 ] && die "Keycloak not ready after 300 s, see $log"
  sleep 0.5
done
kc_pid=$(pgrep -P "$kc_sh_pid" java) || die "no Keycloak JVM under kc.sh ($kc_sh_pid)"
base="http://127.0.0.1:$port"

# ---------------------------------------------------------------- realm, client, user (admin REST API)
admin_token=$(curl -sSf "$base/realms/master/protocol/openid-connect/token" -d grant_type=password -d client_id=admin-cli \
  -d username=admin --data-urlencode "password=$admin_pw" | jq -r .access_token)
admin() { # method path [json]
  curl -sSf -X "$1" "$base/admin$2" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
client_secret="secret-$RANDOM$RANDOM$RANDOM"
user_pw="pw-$RANDOM$RANDOM$RANDOM"
admin POST /realms '{"realm":"bench","enabled":true,"revokeRefreshToken":true,"refreshTokenMaxReuse":0}'
admin POST /realms/bench/clients "{\"clientId\":\"bench\",\"enabled\":true,\"publicClient\":false,
  \"clientAuthenticatorType\":\"client-secret\",\"secret\":\"$client_secret\",\"directAccessGrantsEnabled\":true,
  \"standardFlowEnabled\":false,\"serviceAccountsEnabled\":false}"
admin POST /realms/bench/users "{\"username\":\"bench\",\"enabled\":true,\"email\":\"bench@example.test\",
  \"emailVerified\":true,\"firstName\":\"Bench\",\"lastName\":\"User\",
  \"credentials\":[{\"type\":\"password\",\"value\":\"$user_pw\",\"temporary\":false}]}"
settings=$(admin GET /realms/bench | jq -c '{revokeRefreshToken, refreshTokenMaxReuse}')
[ "$settings" = '{"revokeRefreshToken":true,"refreshTokenMaxReuse":0}' ] || die "realm settings not applied: $settings"

# ---------------------------------------------------------------- does Keycloak really rotate?
token_url="$base/realms/bench/protocol/openid-connect/token"
grant() { curl -s -o "$work/grant.json" -w '%{http_code}' "$token_url" -d client_id=bench --data-urlencode "client_secret=$client_secret" "$@"; }
[ "$(grant -d grant_type=password -d username=bench --data-urlencode "password=$user_pw")" = 200 ] \
  || die "password grant failed: $(cat "$work/grant.json")"
first=$(jq -r .refresh_token "$work/grant.json")
[ "$(grant -d grant_type=refresh_token --data-urlencode "refresh_token=$first")" = 200 ] \
  || die "refresh failed: $(cat "$work/grant.json")"
second=$(jq -r .refresh_token "$work/grant.json")
[ -n "$second" ] && [ "$second" != null ] && [ "$second" != "$first" ] || die "Keycloak did not return a new refresh token"
status=$(grant -d grant_type=refresh_token --data-urlencode "refresh_token=$first")
[ "$status" = 400 ] || die "ROTATION NOT ENFORCED: Keycloak answered $status to a reused refresh token: $(cat "$work/grant.json")"
echo "rotation check: a reused Keycloak refresh token is refused ($status $(jq -c . "$work/grant.json"))" >&2

# ---------------------------------------------------------------- the same generator against both
KC_RUNTIME=$("$KC_JAVA_HOME/bin/java" -version 2>&1 | head -1) KC_VERSION="$KC_VERSION" KC_DB="$KC_DB" KC_PID="$kc_pid" KC_TOKEN_URL="$token_url" KC_CLIENT_ID=bench \
  KC_CLIENT_SECRET="$client_secret" KC_USERNAME=bench KC_PASSWORD="$user_pw" \
  "$java_bin" -Dlinkguard.repo="$PWD" -cp "$LAUNCHER" bench/LinkguardBench.java keycloak \
  | tee bench/results/report-keycloak.md
