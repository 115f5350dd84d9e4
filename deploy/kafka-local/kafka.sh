#!/usr/bin/env bash
# Starts or stops a real single-node Kafka broker (KRaft) from Maven Central jars, without Docker.
#   kafka.sh start   resolve jars (once), format the log dir if it is new, start in the background,
#                    wait until ready (a stopped broker restarts with its data: topics and offsets kept)
#   kafka.sh stop    stop the broker by the PID kept in $KAFKA_LOCAL_DIR/kafka.pid
#   kafka.sh reset   stop it and delete its data
# Environment: KAFKA_LOCAL_DIR (state, default .kafka-local in the project), KAFKA_LOCAL_PORT (9092),
# KAFKA_LOCAL_CONTROLLER_PORT (9093), KAFKA_LOCAL_LIBS (jar cache, default ~/.cache/callbridge/kafka-libs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${KAFKA_LOCAL_DIR:-$root/.kafka-local}"
port="${KAFKA_LOCAL_PORT:-9092}"
cport="${KAFKA_LOCAL_CONTROLLER_PORT:-9093}"
libs="${KAFKA_LOCAL_LIBS:-${XDG_CACHE_HOME:-$HOME/.cache}/callbridge/kafka-libs}"
pidfile="$dir/kafka.pid"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

start() {
  if running; then echo "kafka-local: already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return 0; fi
  if port_open; then echo "kafka-local: something already listens on 127.0.0.1:$port" >&2; return 1; fi
  if [ ! -f "$libs/.complete" ]; then
    echo "kafka-local: resolving broker jars with Maven into $libs"
    rm -rf "$libs"; mkdir -p "$libs"
    mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
    touch "$libs/.complete"
  fi
  mkdir -p "$dir/logs"
  if [ ! -f "$dir/kraft-logs/meta.properties" ]; then
    sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$cport|g" -e "s|@LOG_DIRS@|$dir/kraft-logs|g" \
      "$here/server.properties.template" > "$dir/server.properties"
    local cluster_id
    cluster_id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    java -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" > "$dir/format.out" 2>&1 \
      || { cat "$dir/format.out" >&2; return 1; }
  fi
  : > "$dir/kafka.out"
  nohup java -Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dkafka.logs.dir="$dir/logs" \
    -cp "$libs/*" kafka.Kafka "$dir/server.properties" > "$dir/kafka.out" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  local deadline=$((SECONDS + 90))
  until grep -q 'Kafka Server started' "$dir/kafka.out" 2>/dev/null && port_open; do
    if ! running; then echo "kafka-local: broker exited during start-up:" >&2; tail -n 60 "$dir/kafka.out" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "kafka-local: broker not ready after 90 s:" >&2; tail -n 60 "$dir/kafka.out" >&2; stop; return 1; fi
    sleep 0.5
  done
  echo "kafka-local: broker ready on 127.0.0.1:$port (pid $(cat "$pidfile"), logs in $dir/kafka.out)"
}

stop() {
  if ! [ -f "$pidfile" ]; then echo "kafka-local: not running"; return 0; fi
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
  echo "kafka-local: stopped (pid $pid)"
}

reset() { stop; rm -rf "$dir"; echo "kafka-local: data deleted ($dir)"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  reset) reset ;;
  *) echo "usage: $0 start|stop|reset" >&2; exit 2 ;;
esac
