# Sourced by run.sh and bench/run.sh: picks the JDK the services run on and sets $java_bin and $java_major.
# LINKGUARD_JAVA_HOME wins; else the newest JDK 21+ found ($JAVA_HOME, /usr/lib/jvm/*); else `java` on PATH.
# The code is Java 17 bytecode and runs on 17, but on 21+ token-refresher waits for providers on virtual
# threads and every service runs faster (docs/BENCHMARKS.md has the figures).
java_version_of() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
java_bin="${LINKGUARD_JAVA_HOME:+$LINKGUARD_JAVA_HOME/bin/java}"
if [ -z "$java_bin" ]; then
  java_bin=java
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    found="$(java_version_of "$candidate")"; current="$(java_version_of "$java_bin")"
    if [ "${found:-0}" -ge 21 ] && [ "${found:-0}" -gt "${current:-0}" ]; then
      java_bin="$candidate"
    fi
  done
fi
java_major="$(java_version_of "$java_bin")"
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  echo "Linkguard: needs Java 17 or newer to run (found '${java_major:-none}' at $java_bin); set LINKGUARD_JAVA_HOME" >&2
  exit 1
fi
