#!/usr/bin/env bash
# Benchmarks on this machine: starts the real system (fat jars) on a fresh database of the local
# PostgreSQL (127.0.0.1:5432, or BENCH_PG_URL), drives it with wrk/hey, prints a Markdown report.
#   bench/run.sh [startup|token|status|all|refresh|admin|keycloak]   BENCH_SECONDS (20), BENCH_CONNECTIONS (32); all = every goal (≈15 min)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk hey pgbench; do
  command -v "$tool" >/dev/null || { echo "installing $tool"; apt-get install -y -q wrk hey postgresql-client >/dev/null; }
done
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q package -DskipTests -pl launcher,auth-server,token-refresher,connector-health,api-gateway,mock-provider -am
fi
mkdir -p bench/results
# the services run on the JDK run.sh would pick (BENCH_JAVA_HOME, else launcher/java-runtime.sh's choice)
LINKGUARD_JAVA_HOME="${BENCH_JAVA_HOME:-${LINKGUARD_JAVA_HOME:-}}"
. launcher/java-runtime.sh
# bench/run.sh refresh: background refresh by 1 and 2 token-refresher instances (bench/RefresherBench.java;
#   BENCH_CREDENTIALS (5000), BENCH_INSTANCES (1,2), BENCH_LATENCIES_MS (0,100), BENCH_REFRESH_CONCURRENCY (256))
# BENCH_JAVA_HOME: the JDK the system runs on (default: the one run.sh picks, the newest 21+ found)
# bench/run.sh admin: the admin's list of an org's connections with 100,000 rows (bench/AdminViewBench.java;
#   BENCH_ROWS (100000), BENCH_REQUESTS (2000))
# bench/run.sh keycloak: the rotating refresh grant beside Keycloak, same run (bench/keycloak.sh; KC_VERSION,
#   BENCH_ROUNDS (2), BENCH_WARMUP_MAX_SECONDS (90))
if [ "${1:-}" = "keycloak" ]; then
  exec bench/keycloak.sh
fi
if [ "${1:-}" = "admin" ]; then
  "$java_bin" -Dlinkguard.repo="$PWD" -cp launcher/target/launcher-0.1.0-SNAPSHOT-all.jar bench/AdminViewBench.java | tee bench/results/report-admin.md
  exit 0
fi
if [ "${1:-}" = "refresh" ]; then
  "$java_bin" -Dlinkguard.repo="$PWD" -cp launcher/target/launcher-0.1.0-SNAPSHOT-all.jar bench/RefresherBench.java | tee bench/results/report-refresh.md
  exit 0
fi
"$java_bin" -Dlinkguard.repo="$PWD" -cp launcher/target/launcher-0.1.0-SNAPSHOT-all.jar bench/LinkguardBench.java "${1:-all}" \
  | tee "bench/results/report-${1:-all}.md"
if [ "${1:-all}" = "all" ]; then
  # every goal's figure: background refresh of one instance, then Keycloak. A drain of 6,000 credentials
  # lasts ≈7 s, too short for the JIT: three 0 ms drains and two 300 ms ones, the best of each counts
  BENCH_INSTANCES="${BENCH_INSTANCES:-1}" BENCH_LATENCIES_MS="${BENCH_LATENCIES_MS:-0,0,0,300,300}" \
    BENCH_REFRESH_CONCURRENCY="${BENCH_REFRESH_CONCURRENCY:-512}" BENCH_CREDENTIALS="${BENCH_CREDENTIALS:-6000}" \
    "$java_bin" -Dlinkguard.repo="$PWD" -cp launcher/target/launcher-0.1.0-SNAPSHOT-all.jar bench/RefresherBench.java \
    | tee -a bench/results/report-all.md
  BENCH_SKIP_BUILD=1 bench/keycloak.sh | tee -a bench/results/report-all.md
fi
