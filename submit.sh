#!/usr/bin/env bash
# gradsweep launcher.
#   ./submit.sh SPEC [--out DIR] [--master URL] [--tasks N] [--max-trials N] [--overwrite | --resume [--repair]]
#               [-- extra spark-submit args]
#   ./submit.sh run SPEC ...              # same as the first form
#   ./submit.sh plan SPEC                 # validate and list the trials, no training
#   ./submit.sh query [--out DIR] [--sweep NAME] [--engine auto|duckdb|spark] "SQL" | --analysis NAME
#   ./submit.sh report [--out DIR] [--sweep NAME] [--to DIR]               # HTML report with PNG charts
#   ./submit.sh ui [--out DIR] [--port N] [--host ADDRESS]                 # browser explorer on 127.0.0.1:8765
#   ./submit.sh bench [--quick] [--write docs/benchmarks.md]               # timings vs PyTorch, throughput
#   ./submit.sh COMMAND --help            # the options of one command
# With no --master, or a local[...] master, the job runs embedded in this JVM: Spark comes from the Maven build, and
# no Spark install is needed. With any other master it goes through spark-submit ($SPARK_HOME/bin or PATH). query
# and report read local results with embedded DuckDB, and results on hdfs://, s3a:// ... with Spark SQL.
# GRADSWEEP_SPARK=4 uses the Spark 4 build (target-spark4/gradsweep-spark4.jar, mvn -Pspark4) instead of the Spark
# 3.5 one (target/gradsweep.jar); a jar built for another Spark than spark-submit's is refused.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case "${GRADSWEEP_SPARK:-3.5}" in
  3.5) BUILD="$HERE/target"; JAR="$BUILD/gradsweep.jar"; PROFILE="" ;;
  4) BUILD="$HERE/target-spark4"; JAR="$BUILD/gradsweep-spark4.jar"; PROFILE="-Pspark4" ;;
  *) echo "submit.sh: Cannot choose the build: 'GRADSWEEP_SPARK' is '$GRADSWEEP_SPARK'; expected one of 3.5, 4" >&2
     exit 2 ;;
esac
SPARK_CP_FILE="$BUILD/spark-classpath.txt"
MAIN=io.gradsweep.cli.Main
# Spark's own Java 17 module list (spark-launcher JavaModuleOptions); the driver JVM needs it.
JAVA17_OPTS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"

# JavaCPP reads the process's resident size on every native allocation to compare it with maxPhysicalBytes; ND4J
# allocates some 150 times per DL4J update, which made the check 5-10% of a small net's training. 0 turns that
# check off; the limit on JavaCPP's own count of native bytes (maxBytes) still triggers a GC when it is reached.
JAVACPP_OPTS="-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"

# The statistics' sums run on Java's Vector API where the JVM has the module (io.gradsweep.stats.LaneSums), 3-4x
# faster than scalar loops and the same bits. Only the training commands load it: the JVM warns on stderr that it
# uses an incubator module.
VECTOR_OPTS="--add-modules=jdk.incubator.vector"

die() { echo "submit.sh: $*" >&2; exit 2; }

usage() { # args: exit code (0 when asked for, 2 after a mistake); the header comment, to its last line
  local code=${1:-2}
  sed -n '2,/^[^#]/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&"$((code == 0 ? 1 : 2))"
  exit "$code"
}

# Rebuild when the jar is missing or older than any source, resource or the pom (GRADSWEEP_NO_BUILD=1: fail instead).
ensure_jar() {
  if [[ -f "$JAR" && -f "$SPARK_CP_FILE" ]] \
     && [[ -z "$(find "$HERE/src/main" "$HERE/pom.xml" -newer "$JAR" -print -quit)" ]]; then
    return
  fi
  local jar=${JAR#"$HERE/"}
  [[ -z "${GRADSWEEP_NO_BUILD:-}" ]] || die "$jar is missing or stale and GRADSWEEP_NO_BUILD is set"
  command -v mvn >/dev/null || die "$jar is missing or stale and 'mvn' is not on PATH to build it"
  echo "submit.sh: building $jar (mvn $PROFILE package) ..." >&2
  # shellcheck disable=SC2086
  (cd "$HERE" && mvn -B -q -Dstyle.color=never $PROFILE clean package -DskipTests) >&2 \
    || die "the build failed; see the Maven output above"
}

run_embedded() { # args: gradsweep CLI arguments; SPARK_EXTRA_PROPS: -D flags from --conf; EXTRA_CP: from --jars
  command -v java >/dev/null || die "'java' (17+) is not on PATH"
  local cp; cp="$(cat "$SPARK_CP_FILE"):$JAR${EXTRA_CP:-}"
  local vector=""
  case "$1" in run|bench) vector=$VECTOR_OPTS ;; esac
  # One OpenMP thread per trainer: with ND4J's default of all cores, concurrent trials slow each other 3-10x.
  # Headless: 'report' draws charts with AWT, and servers have no display.
  # shellcheck disable=SC2086
  set -- java $JAVA17_OPTS $JAVACPP_OPTS $vector -Djava.awt.headless=true ${SHORT_OPTS:-} ${JAVA_OPTS:-} ${SPARK_EXTRA_PROPS:-} \
    -Dlog4j2.configurationFile="$HERE/conf/log4j2.properties" -cp "$cp" "$MAIN" "$@"
  if [[ -n "${CDS:-}" ]]; then run_with_cds "$cp" "$@"; fi
  OMP_NUM_THREADS=1 exec "$@"
}

# Class-data sharing for the short commands (plan, query, report): a JVM that maps the classes it loaded last time
# from an archive starts in about half the time (see docs/analysis.md, Timing). The first run writes the archive at
# exit (JDK 17 has no -XX:+AutoCreateSharedArchive) to a temporary name, renamed only after that JVM exits cleanly,
# with its size beside it: JDK 17 dies of SIGBUS on a truncated archive, so one whose size differs is rebuilt, never
# mapped. Its name is keyed to the java binary, the classpath and the jars' size and time, so a rebuild or another
# JDK gets its own. Skipped with --jars (a classpath of the user's), with a JAVA_OPTS agent or flight recording
# (JDK 17.0.15 crashes in its class-file-load hook when one runs over a dynamic archive) or CDS flags of its own,
# and when GRADSWEEP_NO_CDS is set; the directory is GRADSWEEP_CDS_DIR, else ~/.cache/gradsweep. Returns when there
# is nothing to do; else runs and exits.
run_with_cds() { # args: the classpath, then the java command line
  local cp=$1; shift
  [[ -z "${GRADSWEEP_NO_CDS:-}" && -z "${EXTRA_CP:-}" ]] || return 0
  case " ${JAVA_OPTS:-} " in
    *-javaagent*|*-agentlib*|*-agentpath*|*FlightRecord*|*-Xshare*|*SharedArchive*|*ArchiveClasses*) return 0 ;;
  esac
  local dir=${GRADSWEEP_CDS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gradsweep}
  mkdir -p "$dir" 2>/dev/null && [[ -w "$dir" ]] || return 0
  local key
  key=$({ readlink -f "$(command -v java)"; echo "$cp"; stat -L -c '%n %s %Y' "$JAR" "$SPARK_CP_FILE"; } \
        | cksum | cut -d' ' -f1)
  local archive="$dir/gradsweep-$key.jsa"
  # JVM warnings go to stderr, not into query output; CDS ones (classes it cannot archive) nowhere.
  local quiet="-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr"
  if [[ -f "$archive" && -f "$archive.size" && "$(stat -c %s "$archive")" == "$(cat "$archive.size")" ]]; then
    shift # java
    OMP_NUM_THREADS=1 exec java -XX:SharedArchiveFile="$archive" $quiet "$@"
  fi
  rm -f "$archive" "$archive.size"
  local tmp="$archive.$$.tmp" code=0
  shift
  OMP_NUM_THREADS=1 java -XX:ArchiveClassesAtExit="$tmp" $quiet "$@" || code=$?
  if [[ $code -eq 0 && -s "$tmp" ]]; then
    stat -c %s "$tmp" > "$archive.size.$$" && mv -f "$tmp" "$archive" && mv -f "$archive.size.$$" "$archive.size"
  fi
  rm -f "$tmp" "$archive.size.$$"
  exit "$code"
}

# A report over local results is a short JVM whose heavy lifting is DuckDB's native code: on the demo sweep C2's
# compiles of code that then runs for a second or two took about half the process's CPU (10-12 s on 2 cores), and
# G1's concurrent threads more than a serial collector's pauses on a heap of some 100 MB. So C1 only and the serial
# collector (docs/benchmarks.md, "query and report start-up"). Spark SQL (--engine spark, or results behind a URI
# other than file:) runs its scans in this JVM and keeps the defaults; JAVA_OPTS, later on the line, overrides both.
short_jvm_opts() { # args: report's arguments; prints the JVM flags
  local engine=auto out=results
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --engine) engine=${2:-}; shift ;;
      --engine=*) engine=${1#--engine=} ;;
      --out) out=${2:-}; shift ;;
      --out=*) out=${1#--out=} ;;
    esac
    shift
  done
  [[ "$engine" != spark ]] || return 0
  if [[ "$out" =~ ^[A-Za-z][A-Za-z0-9+.-]*:// && ! "$out" =~ ^[Ff][Ii][Ll][Ee]: ]]; then return 0; fi
  echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
}

run_cluster() { # args: master, then gradsweep CLI arguments; EXTRA: spark-submit arguments
  local master=$1; shift
  local submit=spark-submit
  [[ -n "${SPARK_HOME:-}" ]] && submit="$SPARK_HOME/bin/spark-submit"
  command -v "$submit" >/dev/null || die "master '$master' needs spark-submit: set SPARK_HOME or put spark-submit on PATH"
  require_matching_spark "$submit"
  exec "$submit" --master "$master" --class "$MAIN" \
    --properties-file "$HERE/conf/spark-defaults.conf" \
    --conf spark.executorEnv.OMP_NUM_THREADS=1 \
    --driver-java-options "$JAVA17_OPTS" \
    "${EXTRA[@]}" "$JAR" "$@"
}

# The jar's manifest says which Spark and Scala it is built for (Gradsweep-Spark: 3.5 or 4, Gradsweep-Scala); the
# Spark install's jars/spark-core_SCALA-VERSION.jar says what spark-submit runs (spark-submit --version would start
# a JVM). A mismatch fails at once here rather than as a NoSuchMethodError inside Spark. Unknown layouts pass.
require_matching_spark() { # args: the spark-submit command
  local home=${SPARK_HOME:-} core manifest want_spark want_scala
  [[ -n "$home" ]] || home=$(cd "$(dirname "$(readlink -f "$(command -v "$1")")")/.." && pwd)
  core=$(compgen -G "$home/jars/spark-core_*.jar" | head -n 1) || true
  manifest=$(unzip -p "$JAR" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r') || true
  want_spark=$(sed -n 's/^Gradsweep-Spark: *//p' <<<"$manifest")
  want_scala=$(sed -n 's/^Gradsweep-Scala: *//p' <<<"$manifest")
  if [[ -z "$core" || -z "$want_spark" ]]; then
    echo "submit.sh: note: not checked that ${JAR#"$HERE/"} suits the Spark at $home (no jars/spark-core_*.jar there," \
      "or no Gradsweep-Spark in the jar's manifest, or no unzip)" >&2
    return 0
  fi
  local name=${core##*/spark-core_}; name=${name%.jar}       # 2.13-4.2.0
  local scala=${name%%-*} version=${name#*-}
  case "$version" in
    "$want_spark".*) [[ "$scala" == "$want_scala" ]] && return 0 ;;
  esac
  die "Cannot submit sweep: 'GRADSWEEP_SPARK' is ${GRADSWEEP_SPARK:-3.5}, whose jar ${JAR#"$HERE/"} is built for" \
    "Spark $want_spark (Scala $want_scala), but spark-submit at $home is Spark $version (Scala $scala); expected" \
    "GRADSWEEP_SPARK=3.5 with Spark 3.5 (Scala 2.12), or GRADSWEEP_SPARK=4 with Spark 4 (Scala 2.13)"
}

# Sourced (the launcher's tests do so), it only defines the functions above.
[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0

[[ $# -ge 1 ]] || usage
case "$1" in
  -h|--help|help) usage 0 ;;
  plan) shift; [[ $# -ge 1 ]] || usage; ensure_jar; CDS=1 run_embedded plan "$@" ;;
  # Reading results needs no cluster: both run embedded, like plan (spark-submit ... query works as well).
  query) shift; ensure_jar; CDS=1 run_embedded query "$@" ;;
  report) shift; ensure_jar; SHORT_OPTS=$(short_jvm_opts "$@") CDS=1 run_embedded report "$@" ;;
  # No class-data archive: ui serves until it is stopped (no clean exit to write one at), and bench times runs.
  ui|bench) cmd=$1; shift; ensure_jar; run_embedded "$cmd" "$@" ;;
  run) shift
       # run's own help comes from the CLI, like every command's
       if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then ensure_jar; run_embedded run --help; fi ;;
esac
[[ $# -ge 1 ]] || usage

ARGS=(); EXTRA=(); MASTER=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --) shift; EXTRA=("$@"); break ;;
    --master) [[ $# -ge 2 ]] || die "--master needs a URL"; MASTER=$2; shift 2 ;;
    --master=*) MASTER=${1#--master=}; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[[ -f "${ARGS[0]}" ]] || die "spec file '${ARGS[0]}' does not exist"
ensure_jar

if [[ -z "$MASTER" || "$MASTER" == local* ]]; then
  # Embedded: translate the spark-submit options that make sense in one JVM.
  SPARK_EXTRA_PROPS=""; EXTRA_CP=""
  set -- "${EXTRA[@]+"${EXTRA[@]}"}"
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --conf) [[ $# -ge 2 ]] || die "--conf needs key=value"; SPARK_EXTRA_PROPS+=" -D$2"; shift 2 ;;
      --driver-memory) [[ $# -ge 2 ]] || die "--driver-memory needs a size"; SPARK_EXTRA_PROPS+=" -Xmx$2"; shift 2 ;;
      # Extra jars (hadoop-aws for s3a:// output, say) go on the classpath, as spark-submit --jars would add them.
      --jars) [[ $# -ge 2 ]] || die "--jars needs comma-separated jar paths"; EXTRA_CP+=":${2//,/:}"; shift 2 ;;
      *) die "embedded mode supports only --conf, --driver-memory and --jars after '--'; got '$1'" ;;
    esac
  done
  run_embedded run "${ARGS[@]}" --master "${MASTER:-local[*]}"
else
  run_cluster "$MASTER" run "${ARGS[@]}"
fi
