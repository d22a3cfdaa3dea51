#!/usr/bin/env bash
# Runs `tensd bench loop` and cyclictest (rt-tests) at the same interval, CONCURRENTLY, and prints both rows
# and the tensd/cyclictest ratios.
#
# Why concurrently: the reference machine is shared and its background load swings from minute to minute;
# running both in the same window exposes them to the same load, so the ratio compares the mechanisms, not
# two different moments. The price is that each adds a little load for the other (the Java loop spins up to
# 200 us per period; cyclictest only sleeps). --sequential runs them back to back instead.
#
# usage: scripts/bench-vs-cyclictest.sh [--rate 100|1000] [--seconds N] [--fifo PRIO] [--sequential] [-- extra java flags]
# needs: target/tensd.jar (mvn -B package -DskipTests) and cyclictest (apt-get install -y rt-tests)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=1000 seconds=30 fifo=0 mode=concurrent warmup=15
java_flags=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --fifo) fifo="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --sequential) mode=sequential; shift ;;
    --) shift; java_flags=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v cyclictest >/dev/null || { echo "cyclictest not found: apt-get install -y rt-tests" >&2; exit 2; }
[[ -f target/tensd.jar ]] || { echo "target/tensd.jar missing: mvn -B package -DskipTests" >&2; exit 2; }
interval_us=$((1000000 / rate))
loops=$((seconds * rate))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ct_args=(-m -q -i "$interval_us" -l "$loops" -h 100000 --histfile="$tmp/ct.hist")
if [[ "$fifo" -gt 0 ]]; then ct_args+=(-p "$fifo" --policy=fifo); fi

run_java() {
  java "${java_flags[@]}" -cp target/tensd.jar io.tensd.cli.BenchCommand loop --rate "$rate" --seconds "$seconds" \
    --warmup "$warmup" --fifo "$fifo" > "$tmp/java.out" 2>&1
}
run_ct() { cyclictest "${ct_args[@]}" > "$tmp/ct.out" 2>&1; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r), $(java -version 2>&1 | head -1)"
echo "mode: $mode, rate $rate Hz (interval $interval_us us), $seconds s measured, fifo=$fifo, java flags: ${java_flags[*]:-(none)}"
if [[ $mode == concurrent ]]; then
  run_java &
  jpid=$!
  sleep "$((warmup + 2))"   # start cyclictest when the Java loop's measured window starts
  run_ct
  wait "$jpid" || true   # a refused bench (session not live) exits 1: its reason is printed below
else
  run_java || true
  run_ct
fi
grep -E '^loop thread|^JIT|^session' "$tmp/java.out" || true
jrow=$(grep '^RESULT tensd' "$tmp/java.out") || { echo "no tensd figure:"; grep -v '^  event' "$tmp/java.out"; exit 1; }

# cyclictest percentiles from its 1-us histogram (overflows beyond 100 ms count as 100 ms)
read -r cp50 cp99 cp999 cmax <<<"$(awk '
  /^# Max Latencies/ {max=$4+0}
  /^# Histogram Overflows/ {ovf=$4+0}
  /^[0-9]/ {b=$1+0; c=$2+0; if (c>0) {cnt[b]=c; n+=c}}
  END {
    n+=ovf; t50=n*0.5; t99=n*0.99; t999=n*0.999; s=0; p50=p99=p999=-1
    for (b=0; b<100000; b++) if (b in cnt) { s+=cnt[b];
      if (p50<0 && s>=t50) p50=b; if (p99<0 && s>=t99) p99=b; if (p999<0 && s>=t999) p999=b }
    if (p50<0) p50=100000; if (p99<0) p99=100000; if (p999<0) p999=100000
    print p50, p99, p999, max }' "$tmp/ct.hist")"
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$jrow"; }
jp50=$(kv p50_us) jp99=$(kv p99_us) jp999=$(kv p999_us) jmax=$(kv max_us)
printf '%-12s %10s %10s %10s %10s  %s\n' "" "p50 us" "p99 us" "p99.9 us" "max us" "other"
printf '%-12s %10s %10s %10s %10s  %s\n' "tensd loop" "$jp50" "$jp99" "$jp999" "$jmax" \
  "overruns $(kv overruns), $(kv bytes_per_iter) B/it, GC $(kv gc_count), loop CPU $(kv cpu_pct) %"
printf '%-12s %10s %10s %10s %10s\n' "cyclictest" "$cp50" "$cp99" "$cp999" "$cmax"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b>0) printf "%.2f", a/b; else print "n/a" }'; }
printf '%-12s %10s %10s %10s %10s  (tensd / cyclictest; acceptance: p99 <= 1, max <= 2)\n' "ratio" \
  "$(ratio "$jp50" "$cp50")" "$(ratio "$jp99" "$cp99")" "$(ratio "$jp999" "$cp999")" "$(ratio "$jmax" "$cmax")"
