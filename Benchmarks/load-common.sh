# Shell functions shared by the load benchmarks (collector-load, gateway-load), sourced by them.
# They use the caller's variables: work (a temporary directory), pids (an array of processes to
# kill on exit), benchmarks (this directory), payloads (the payload files, ':'-separated),
# connections (wrk's -c) and failures (missed targets).

# ensure_wrk: installs Debian's wrk if missing.
ensure_wrk() {
    command -v wrk >/dev/null && return 0
    echo "== wrk (Debian's package)"
    local sudo_prefix=""
    [ "$(id -u)" = 0 ] || sudo_prefix="sudo"
    $sudo_prefix apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_prefix apt-get install -y -qq --no-install-recommends wrk >/dev/null
}

# start_server LOG CPU COMMAND...: starts COMMAND pinned to CPU, waits (at most 20 s) for its
# `listening on http://127.0.0.1:PORT` line and sets server_pid and server_port.
start_server() {
    local log=$1 cpu=$2
    shift 2
    : >"$log"
    taskset -c "$cpu" "$@" >"$log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    server_port=""
    local _
    for _ in $(seq 200); do
        server_port=$(grep -o -m1 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | sed 's/.*://' || true)
        [ -n "$server_port" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "server did not start: $*" >&2
    cat "$log" >&2
    exit 1
}

# stop_server PID: SIGTERM, then SIGKILL after 10 s.
stop_server() {
    local pid=$1 _
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# kib FIELD PID: a VmHWM/VmRSS field of /proc/PID/status in KiB.
kib() { awk -v field="$1:" '$1 == field { print $2 }' "/proc/$2/status"; }

# cpu_ticks PID: user + system time of all the process's threads, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
clock_ticks=$(getconf CLK_TCK)
# per_cpu_second REQUESTS TICKS: requests per second of CPU time the server used.
per_cpu_second() { echo "$1 * $clock_ticks / ($2 + 0.000001)" | bc -l; }

# run_wrk PORT SECONDS [RATE]: runs wrk on CPU 1 (or wrk_cpu) and prints its result line
# (key=value ...); FARO_API_KEY in the environment, when set, is sent as x-api-key.
run_wrk() {
    local port=$1 seconds=$2 pace=${3:-}
    local output
    output=$(FARO_PAYLOADS="$payloads" FARO_RATE="$pace" FARO_WRK_THREADS=1 \
        taskset -c "${wrk_cpu:-1}" wrk -t1 -c"$connections" -d"${seconds}s" --timeout 5s --latency \
        -s "$benchmarks/collector-load.lua" "http://127.0.0.1:$port/collect" 2>&1 || true)
    echo "$output" >>"$work/wrk.log"
    if ! grep -q '^collector-load-result ' <<<"$output"; then
        echo "wrk printed no result:" >&2
        echo "$output" >&2
        exit 1
    fi
    grep '^collector-load-result ' <<<"$output" | sed 's/^collector-load-result //'
}

# field2 NAME STATS: the number after NAME in the sink's `NAME N NAME N ...` stats.
field2() { awk -v name="$1" '{ for (i = 1; i < NF; i++) if ($i == name) print $(i + 1) }' <<<"$2"; }

# field NAME RESULT: one value of a result line.
field() { tr ' ' '\n' <<<"$2" | awk -F= -v name="$1" '$1 == name { print $2 }'; }

# stats VALUES...: "median min max" of numbers.
stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'; }
# show KIND "median min max": formatted with its range.
show() {
    local kind=$1 median low high
    read -r median low high <<<"$2"
    case "$kind" in
        rps) printf "%s (%s–%s)" "$(thousands "$median")" "$(thousands "$low")" "$(thousands "$high")" ;;
        us) printf "%.2f ms (%.2f–%.2f)" "$(echo "$median / 1000" | bc -l)" "$(echo "$low / 1000" | bc -l)" "$(echo "$high / 1000" | bc -l)" ;;
        kib) printf "%.1f MiB (%.1f–%.1f)" "$(echo "$median / 1024" | bc -l)" "$(echo "$low / 1024" | bc -l)" "$(echo "$high / 1024" | bc -l)" ;;
        pct) printf "%.2f%% (%.2f–%.2f)" "$median" "$low" "$high" ;;
    esac
}
# thousands NUMBER: rounded, with thousands separators (independent of the locale).
thousands() { printf "%.0f" "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
# row TARGET MEASURED MET: a row of the targets table; counts a missed target (in this shell).
row() {
    local verdict=PASS
    if [ "$3" != 1 ]; then verdict=FAIL; failures=$((failures + 1)); fi
    echo "| $1 | $2 | $verdict |"
}

