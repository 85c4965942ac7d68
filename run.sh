#!/usr/bin/env bash
# Runs the whole Linkguard system locally: PostgreSQL (DATABASE_URL if set, else an embedded
# PostgreSQL 15 kept in .run/pgdata), the four services and the mock OAuth provider; seeds a
# demo org, user and service account and prints them. Ctrl-C stops everything.
# Needs only a JDK 17+: the Maven wrapper fetches Maven, Maven fetches the rest. The services run on
# the newest JDK 21+ it finds, else on the `java` on PATH (launcher/java-runtime.sh).
# Prints a few progress lines and the banner; everything else (the build, initdb, each service)
# is written under .run/logs.
set -euo pipefail
cd "$(dirname "$0")"
export LINKGUARD_HOME="$PWD"
logs="${LINKGUARD_DATA_DIR:-$PWD/.run}/logs"
mkdir -p "$logs"

if [ "${LINKGUARD_SKIP_BUILD:-}" != "1" ]; then
  echo "Linkguard: building (./mvnw package -DskipTests; output in $logs/build.log)…"
  if ! ./mvnw -B -q package -DskipTests -pl launcher,auth-server,token-refresher,connector-health,api-gateway,mock-provider -am \
      </dev/null >"$logs/build.log" 2>&1; then
    tail -n 40 "$logs/build.log" >&2
    echo "Linkguard: the build failed; the whole output is in $logs/build.log" >&2
    exit 1
  fi
fi
# The launcher starts every service with its own JDK, so the JDK chosen here is the services' runtime.
. launcher/java-runtime.sh
echo "Linkguard: running on Java $java_major ($java_bin)$([ "$java_major" -lt 21 ] && echo '; Java 21+ would give token-refresher virtual threads')"
# Library logging (embedded PostgreSQL's initdb and server output, SLF4J) goes to launcher.log.
exec "$java_bin" -XX:+UseSerialGC -Xmx128m \
  -Dorg.slf4j.simpleLogger.logFile="$logs/launcher.log" \
  -jar launcher/target/launcher-0.1.0-SNAPSHOT-all.jar
