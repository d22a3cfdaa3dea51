#!/usr/bin/env bash
# Footprint under the deployment heap: start-up to safe outputs / first tick, then RSS and heap after GC through
# a full 60-minute session with heat (virtual time). Runs the jar with -Xmx32m (plus any flags given after --),
# and once more with an AppCDS archive (class data sharing), which is what closes most of the start-up gap.
# "launch" is the shell clock just before exec (date +%s%N, passed as -Dtensd.launchEpochNanos).
# usage: scripts/footprint.sh [-- extra java flags]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f target/tensd.jar ]] || { echo "target/tensd.jar missing: mvn -B package -DskipTests" >&2; exit 2; }
extra=("$@"); [[ "${extra[0]:-}" == "--" ]] && extra=("${extra[@]:1}")
echo "== -Xmx32m ${extra[*]:-}"
java -Xmx32m "${extra[@]}" -Dtensd.launchEpochNanos="$(date +%s%N)" -cp target/tensd.jar io.tensd.cli.BenchCommand footprint
jsa=target/tensd-cds.jsa
java -Xmx32m "${extra[@]}" -XX:ArchiveClassesAtExit="$jsa" -cp target/tensd.jar io.tensd.cli.BenchCommand footprint --minutes 1 >/dev/null 2>&1 || true
if [[ -f "$jsa" ]]; then
  echo "== -Xmx32m -XX:SharedArchiveFile=$jsa ${extra[*]:-}"
  java -Xmx32m "${extra[@]}" -XX:SharedArchiveFile="$jsa" -Dtensd.launchEpochNanos="$(date +%s%N)" -cp target/tensd.jar io.tensd.cli.BenchCommand footprint
fi
