#!/usr/bin/env bash
# Runs the whole Linkguard system locally: PostgreSQL (DATABASE_URL if set, else an embedded
# PostgreSQL 15 kept in .run/pgdata), the four services and the mock OAuth provider; seeds a
# demo org, user and service account and prints them. Ctrl-C stops everything.
# Needs only a JDK 17+: the Maven wrapper fetches Maven, Maven fetches the rest.
set -euo pipefail
cd "$(dirname "$0")"
export LINKGUARD_HOME="$PWD"

if [ "${LINKGUARD_SKIP_BUILD:-}" != "1" ]; then
  echo "Building (./mvnw package -DskipTests)…"
  ./mvnw -B -q package -DskipTests -pl launcher,auth-server,token-refresher,connector-health,api-gateway,mock-provider -am
fi
exec java -XX:+UseSerialGC -Xmx128m -jar launcher/target/launcher-0.1.0-SNAPSHOT-all.jar
