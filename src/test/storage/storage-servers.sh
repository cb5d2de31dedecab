#!/usr/bin/env bash
# Real storage on 127.0.0.1 for the real-storage tests, each server in its own JVM on jars that Maven resolves from
# Maven Central (no download of a distribution, nothing on the tests' classpath):
#   storage-servers.sh start-hdfs DIR NAMENODE_PORT   an HDFS NameNode and one DataNode (Hadoop 3.3.4, Spark's)
#   storage-servers.sh start-s3 DIR PORT              S3Proxy, objects kept in its memory
#   storage-servers.sh stop DIR                       kill every server started under DIR, remove their data
# Each start returns once the server serves requests, or exits non-zero with the end of its log. Every daemon's PID
# goes to DIR/pids; stop kills exactly those.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DAEMON_OPTS="-Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true"
# The S3 credentials of the test server; the tests pass the same to S3A.
S3_ACCESS_KEY=gradsweep-test
S3_SECRET_KEY=gradsweep-test-secret

die() { echo "storage-servers.sh: $*" >&2; exit 2; }

classpath() { # POM_DIR OUTPUT: the runtime classpath of a dist pom
  mvn -B -q -f "$HERE/$1/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$2" >&2 || die "cannot resolve the jars of $1"
}

daemon() { # DIR ROLE CLASSPATH CLASS ARGS...
  local dir=$1 role=$2 cp=$3; shift 3
  # shellcheck disable=SC2086
  nohup java $DAEMON_OPTS -cp "$cp" "$@" > "$dir/$role.log" 2>&1 < /dev/null &
  echo "$role $!" >> "$dir/pids"
}

await_log() { # DIR ROLE PATTERN SECONDS: until the daemon's log shows PATTERN; fails if it dies or times out
  local dir=$1 role=$2 pattern=$3 seconds=$4 pid
  pid=$(awk -v r="$role" '$1 == r {print $2}' "$dir/pids" | tail -n 1)
  for ((i = 0; i < seconds * 5; i++)); do
    grep -q -- "$pattern" "$dir/$role.log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$dir/$role.log" >&2; die "$role exited before it was ready"; }
    sleep 0.2
  done
  tail -n 40 "$dir/$role.log" >&2
  die "$role was not ready after ${seconds}s"
}

await_port() { # DIR ROLE PORT SECONDS: until the daemon accepts connections on 127.0.0.1:PORT
  local dir=$1 role=$2 port=$3 seconds=$4 pid
  pid=$(awk -v r="$role" '$1 == r {print $2}' "$dir/pids" | tail -n 1)
  for ((i = 0; i < seconds * 5; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$dir/$role.log" >&2; die "$role exited before it was ready"; }
    sleep 0.2
  done
  tail -n 40 "$dir/$role.log" >&2
  die "$role was not listening on port $port after ${seconds}s"
}

property() { echo "  <property><name>$1</name><value>$2</value></property>"; }

hdfs_conf() { # CONF_DIR DATA_DIR NAMENODE_PORT
  local conf=$1 data=$2 port=$3
  mkdir -p "$conf"
  { echo "<configuration>"
    property fs.defaultFS "hdfs://127.0.0.1:$port"
    property hadoop.tmp.dir "$data/tmp"
    echo "</configuration>"; } > "$conf/core-site.xml"
  { echo "<configuration>"
    property dfs.namenode.rpc-address "127.0.0.1:$port"
    property dfs.namenode.name.dir "$data/name"
    property dfs.datanode.data.dir "$data/data"
    property dfs.replication 1
    property dfs.namenode.safemode.threshold-pct 0
    # Every other port is picked free by the OS, all on loopback.
    property dfs.namenode.http-address 127.0.0.1:0
    property dfs.datanode.address 127.0.0.1:0
    property dfs.datanode.http.address 127.0.0.1:0
    property dfs.datanode.ipc.address 127.0.0.1:0
    echo "</configuration>"; } > "$conf/hdfs-site.xml"
  cp "$HERE/log4j.properties" "$conf/"
  # The daemons' HTTP servers look for their web apps on the classpath; a distribution ships them beside the jars.
  mkdir -p "$conf/webapps/hdfs" "$conf/webapps/datanode" "$conf/webapps/static"
}

start_hdfs() { # DIR NAMENODE_PORT
  local dir=$1 port=$2 cp
  rm -rf "$dir/hdfs"
  classpath hdfs-dist "$dir/hdfs.classpath"
  hdfs_conf "$dir/hdfs/conf" "$dir/hdfs" "$port"
  cp="$dir/hdfs/conf:$(cat "$dir/hdfs.classpath")"
  # shellcheck disable=SC2086
  java $DAEMON_OPTS -cp "$cp" org.apache.hadoop.hdfs.server.namenode.NameNode -format -force -nonInteractive \
    > "$dir/hdfs-format.log" 2>&1 || { tail -n 40 "$dir/hdfs-format.log" >&2; die "cannot format the NameNode"; }
  daemon "$dir" namenode "$cp" org.apache.hadoop.hdfs.server.namenode.NameNode
  daemon "$dir" datanode "$cp" org.apache.hadoop.hdfs.server.datanode.DataNode
  await_log "$dir" namenode "IPC Server listener on $port: starting" 90
  # Writable once the DataNode's first block report reached the NameNode.
  await_log "$dir" datanode "Successfully sent block report" 90
}

# jclouds' in-memory ("transient") provider, not its "filesystem" one: that maps S3A's directory markers ("dir/"
# objects) onto real directories, and deleting a marker of a non-empty directory retried with back-off for minutes.
# The tests create their bucket through the S3 API.
start_s3() { # DIR PORT
  local dir=$1 port=$2
  classpath s3-dist "$dir/s3.classpath"
  cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=transient
CONF
  daemon "$dir" s3proxy "$(cat "$dir/s3.classpath")" -Dlogback.configurationFile="$HERE/logback.xml" \
    org.gaul.s3proxy.Main --properties "$dir/s3proxy.conf"
  await_port "$dir" s3proxy "$port" 90
}

stop_all() {
  local dir=$1
  if [[ -f "$dir/pids" ]]; then
    while read -r _ pid; do kill "$pid" 2>/dev/null || true; done < "$dir/pids"
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      alive=0
      while read -r _ pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$dir/pids"
      [[ $alive == 0 ]] && break
      sleep 0.3
    done
    while read -r _ pid; do kill -9 "$pid" 2>/dev/null || true; done < "$dir/pids"
    rm -f "$dir/pids"
  fi
  rm -rf "$dir/hdfs"
}

cmd=${1:-}; dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || die "usage: storage-servers.sh start-hdfs|start-s3|stop DIR ..."
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
case "$cmd" in
  start-hdfs) [[ $# -eq 3 ]] || die "usage: storage-servers.sh start-hdfs DIR NAMENODE_PORT"; start_hdfs "$dir" "$3" ;;
  start-s3) [[ $# -eq 3 ]] || die "usage: storage-servers.sh start-s3 DIR PORT"; start_s3 "$dir" "$3" ;;
  stop) stop_all "$dir" ;;
  *) die "unknown command '$cmd'" ;;
esac
