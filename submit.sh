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
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR="$HERE/target/gradsweep.jar"
SPARK_CP_FILE="$HERE/target/spark-classpath.txt"
MAIN=io.gradsweep.cli.Main
# Spark's own Java 17 module list (spark-launcher JavaModuleOptions); the driver JVM needs it.
JAVA17_OPTS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"

# JavaCPP reads the process's resident size on every native allocation to compare it with maxPhysicalBytes; ND4J
# allocates some 150 times per DL4J update, which made the check 5-10% of a small net's training. 0 turns that
# check off; the limit on JavaCPP's own count of native bytes (maxBytes) still triggers a GC when it is reached.
JAVACPP_OPTS="-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"

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
  [[ -z "${GRADSWEEP_NO_BUILD:-}" ]] || die "target/gradsweep.jar is missing or stale and GRADSWEEP_NO_BUILD is set"
  command -v mvn >/dev/null || die "target/gradsweep.jar is missing or stale and 'mvn' is not on PATH to build it"
  echo "submit.sh: building target/gradsweep.jar (mvn package) ..." >&2
  (cd "$HERE" && mvn -B -q -Dstyle.color=never clean package -DskipTests) >&2 || die "the build failed; see the Maven output above"
}

run_embedded() { # args: gradsweep CLI arguments; SPARK_EXTRA_PROPS: -D flags from --conf; EXTRA_CP: from --jars
  command -v java >/dev/null || die "'java' (17+) is not on PATH"
  # One OpenMP thread per trainer: with ND4J's default of all cores, concurrent trials slow each other 3-10x.
  # Headless: 'report' draws charts with AWT, and servers have no display.
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=1 exec java $JAVA17_OPTS $JAVACPP_OPTS -Djava.awt.headless=true ${JAVA_OPTS:-} ${SPARK_EXTRA_PROPS:-} \
    -Dlog4j2.configurationFile="$HERE/conf/log4j2.properties" \
    -cp "$(cat "$SPARK_CP_FILE"):$JAR${EXTRA_CP:-}" "$MAIN" "$@"
}

run_cluster() { # args: master, then gradsweep CLI arguments; EXTRA: spark-submit arguments
  local master=$1; shift
  local submit=spark-submit
  [[ -n "${SPARK_HOME:-}" ]] && submit="$SPARK_HOME/bin/spark-submit"
  command -v "$submit" >/dev/null || die "master '$master' needs spark-submit: set SPARK_HOME or put spark-submit on PATH"
  exec "$submit" --master "$master" --class "$MAIN" \
    --properties-file "$HERE/conf/spark-defaults.conf" \
    --conf spark.executorEnv.OMP_NUM_THREADS=1 \
    --driver-java-options "$JAVA17_OPTS" \
    "${EXTRA[@]}" "$JAR" "$@"
}

[[ $# -ge 1 ]] || usage
case "$1" in
  -h|--help|help) usage 0 ;;
  plan) shift; [[ $# -ge 1 ]] || usage; ensure_jar; run_embedded plan "$@" ;;
  # Reading results needs no cluster: both run embedded, like plan (spark-submit ... query works as well).
  query|report|ui|bench) cmd=$1; shift; ensure_jar; run_embedded "$cmd" "$@" ;;
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
