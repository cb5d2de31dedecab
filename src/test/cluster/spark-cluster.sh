#!/usr/bin/env bash
# A real standalone Spark cluster on 127.0.0.1, assembled from the Maven build's Spark jars (no download):
#   spark-cluster.sh start DIR MASTER_PORT MASTER_UI_PORT WORKER_UI_PORT...   master + one worker per UI port
#   spark-cluster.sh start-worker DIR INDEX WORKER_UI_PORT MASTER_PORT        (re)start one worker
#   spark-cluster.sh stop DIR                                                 kill everything, remove work dirs
# Every daemon's PID goes to DIR/pids. Executors and drivers are not our children, so stop also kills any process
# whose command line names DIR/spark-home: nothing started from here outlives stop.
# GRADSWEEP_SPARK picks the Spark, as for submit.sh: 3.5 (default; Spark 3.5.7, Scala 2.12) or 4 (4.2.0, Scala 2.13).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
case "${GRADSWEEP_SPARK:-3.5}" in
  3.5) SPARK_VERSION=3.5.7; SCALA_BINARY=2.12 ;;
  4) SPARK_VERSION=4.2.0; SCALA_BINARY=2.13 ;;
  *) echo "spark-cluster.sh: Cannot start cluster: 'GRADSWEEP_SPARK' is '$GRADSWEEP_SPARK'; expected one of 3.5, 4" >&2
     exit 2 ;;
esac
DAEMON_OPTS="-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

die() { echo "spark-cluster.sh: $*" >&2; exit 2; }

assemble_home() { # SPARK_HOME with jars/ (links into ~/.m2), conf/ and bin/spark-submit
  local home=$1 classpath=$1.classpath
  mvn -B -q -f "$ROOT/src/test/cluster/spark-dist/pom.xml" dependency:build-classpath \
    -Dspark.version="$SPARK_VERSION" -Dscala.binary="$SCALA_BINARY" -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$classpath" >&2 || die "cannot resolve Spark's jars"
  rm -rf "$home"; mkdir -p "$home/jars" "$home/conf" "$home/bin"
  tr ':' '\n' < "$classpath" | while read -r jar || [[ -n "$jar" ]]; do
    [[ -n "$jar" ]] && ln -s "$jar" "$home/jars/$(basename "$jar")"
  done
  cp "$ROOT/conf/log4j2.properties" "$home/conf/log4j2.properties"
  # The launcher treats a home with a RELEASE file as a binary distribution and uses its jars/ directly.
  echo "Spark $SPARK_VERSION (Scala $SCALA_BINARY) jars from Maven Central, assembled by gradsweep's cluster tests" \
    > "$home/RELEASE"
  # spark-submit as Spark ships it: ask the launcher for the JVM command line, then exec it.
  { echo '#!/usr/bin/env bash'; echo "SCALA_BINARY=$SCALA_BINARY"; cat <<'SUBMIT'
export SPARK_HOME=${SPARK_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
export SPARK_SCALA_VERSION=${SPARK_SCALA_VERSION:-$SCALA_BINARY}
# The launcher prints any messages, then a NUL and a newline, then the command as NUL-separated words.
OUT=()
while IFS= read -d '' -r ARG; do OUT+=("$ARG"); done < <(java -Xmx128m -cp "$SPARK_HOME/jars/*" \
  org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@"; printf '%d\0' $?)
LAST=$((${#OUT[@]} - 1))
[[ "${OUT[$LAST]}" == 0 ]] || exit "${OUT[$LAST]}"
[[ -n "${OUT[0]}" ]] && echo "${OUT[0]}" >&2
CMD=("${OUT[@]:1:$((LAST - 1))}")
CMD[0]=${CMD[0]#$'\n'}
exec "${CMD[@]}"
SUBMIT
  } > "$home/bin/spark-submit"
  chmod +x "$home/bin/spark-submit"
}

cluster_env() {
  export SPARK_HOME="$1/spark-home" SPARK_SCALA_VERSION=$SCALA_BINARY
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1 SPARK_LOCAL_DIRS="$1/local"
  export OMP_NUM_THREADS=1
  mkdir -p "$SPARK_LOCAL_DIRS"
}

daemon() { # DIR ROLE LOG CLASS ARGS...
  local dir=$1 role=$2 log=$3; shift 3
  # shellcheck disable=SC2086
  nohup java $DAEMON_OPTS -cp "$SPARK_HOME/conf/:$SPARK_HOME/jars/*" "$@" > "$log" 2>&1 < /dev/null &
  echo "$role $!" >> "$dir/pids"
}

# Worker 1 calls itself "localhost", which resolves to 127.0.0.1 too: every port stays on 127.0.0.1, but Spark sees
# two hosts, and it never runs a speculative copy of a task on the host of the original.
start_worker() { # DIR INDEX UI_PORT MASTER_PORT
  local dir=$1 i=$2 host=127.0.0.1
  [[ $2 == 1 ]] && host=localhost
  mkdir -p "$dir/work-$i"
  SPARK_LOCAL_HOSTNAME=$host \
  daemon "$dir" "worker-$i" "$dir/worker-$i.log" org.apache.spark.deploy.worker.Worker --host "$host" \
    --cores 1 --memory 1g --webui-port "$3" --work-dir "$dir/work-$i" "spark://127.0.0.1:$4"
}

stop_all() {
  local dir=$1
  if [[ -f "$dir/pids" ]]; then
    while read -r _ pid; do kill "$pid" 2>/dev/null || true; done < "$dir/pids"
    sleep 1
    while read -r _ pid; do kill -9 "$pid" 2>/dev/null || true; done < "$dir/pids"
    rm -f "$dir/pids"
  fi
  pkill -9 -f "$dir/spark-home" 2>/dev/null || true
  rm -rf "$dir"/work-* "$dir/local"
}

cmd=${1:-}; dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || die "usage: spark-cluster.sh start|start-worker|stop DIR ..."
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
case "$cmd" in
  start)
    [[ $# -ge 5 ]] || die "usage: spark-cluster.sh start DIR MASTER_PORT MASTER_UI_PORT WORKER_UI_PORT..."
    stop_all "$dir"
    assemble_home "$dir/spark-home"
    cluster_env "$dir"
    daemon "$dir" master "$dir/master.log" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
      --port "$3" --webui-port "$4"
    i=0
    for ui in "${@:5}"; do start_worker "$dir" "$i" "$ui" "$3"; i=$((i + 1)); done
    cat "$dir/pids" ;;
  start-worker)
    [[ $# -eq 5 ]] || die "usage: spark-cluster.sh start-worker DIR INDEX WORKER_UI_PORT MASTER_PORT"
    cluster_env "$dir"
    start_worker "$dir" "$3" "$4" "$5"
    tail -n 1 "$dir/pids" ;;
  stop) stop_all "$dir" ;;
  *) die "unknown command '$cmd'" ;;
esac
