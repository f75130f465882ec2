# Shared by ./petlet and scripts/*: find a JDK >= 21 and Maven. Source it; it defines functions only.

# java_major JAVA: prints the feature version of that java binary (17, 21, 25, ...).
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}

# find_jdk: exports JAVA_HOME to a JDK >= 21 with javac, looking at $JAVA_HOME, java on PATH,
# then every JDK under /usr/lib/jvm (newest first), and sets JAVA_FULL_VERSION to its java.version.
# Fails with a message saying what to install.
find_jdk() {
  local candidates=() home major settings
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for home in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${home%/}"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    settings=$("$home/bin/java" -XshowSettings:properties -version 2>&1)
    major=$(sed -n 's/^ *java\.specification\.version = //p' <<<"$settings" | head -n 1)
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$home"
      # Its full version (21, 21.0.3, 25.0.1): bin/petlet passes some JVM options only to versions that have them.
      JAVA_FULL_VERSION=$(sed -n 's/^ *java\.version = //p' <<<"$settings" | head -n 1)
      return 0
    fi
  done
  echo "petlet: no JDK 21 or newer found (looked at \$JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "petlet: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin 21+ JDK, or set JAVA_HOME." >&2
  return 1
}

# find_maven: makes sure mvn is on PATH, installing Debian's maven when it is missing.
find_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "petlet: installing maven with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends maven >/dev/null
  fi
  command -v mvn >/dev/null 2>&1 && return 0
  echo "petlet: Maven is missing: install it ('apt-get install maven') and run again." >&2
  return 1
}
