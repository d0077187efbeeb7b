# Sourced by ./flexc, ./run-tests and .ci/run: exports JAVA_HOME as a JDK 21 or newer.
# JAVA_HOME wins when it is set and new enough; otherwise the newest suitable JDK under
# /usr/lib/jvm. When there is none it says what to install and fails.

flexc_jdk_major() {
  # The major version of the JDK in $1, read from its release file (fast) or from java itself.
  local home=$1 version=""
  [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
  if [[ -f $home/release ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$home/release")
  fi
  if [[ -z $version ]]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  fi
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

flexc_select_jdk() {
  local minimum=21 best="" best_major=0 candidate major
  if [[ -n ${JAVA_HOME:-} ]]; then
    major=$(flexc_jdk_major "$JAVA_HOME" || true)
    if [[ -n $major && $major -ge $minimum ]]; then
      return 0
    fi
    echo "flexc: JAVA_HOME=$JAVA_HOME is not a JDK $minimum or newer; looking in /usr/lib/jvm" >&2
  fi
  for candidate in /usr/lib/jvm/*; do
    [[ -d $candidate && ! -L $candidate ]] || continue
    major=$(flexc_jdk_major "$candidate" || true)
    if [[ -n $major && $major -ge $minimum && $major -gt $best_major ]]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [[ -z $best ]]; then
    cat >&2 <<MESSAGE
flexc needs a JDK $minimum or newer and found none (JAVA_HOME unset or too old, nothing
suitable under /usr/lib/jvm). Install one, for example:
  apt-get install openjdk-21-jdk-headless     (Debian 13 / Ubuntu 22.04 and newer)
  or Eclipse Temurin 21+ from adoptium.net
then run again, or point JAVA_HOME at it.
MESSAGE
    return 1
  fi
  export JAVA_HOME=$best
}

flexc_select_jdk || return 1 2>/dev/null || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's bundled Guava calls sun.misc.Unsafe, which JDK 23+ warns about on every build.
if (($(flexc_jdk_major "$JAVA_HOME") >= 23)) && [[ ${MAVEN_OPTS:-} != *sun-misc-unsafe* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
