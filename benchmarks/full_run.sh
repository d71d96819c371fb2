#!/usr/bin/env bash
# Time a full materialisation from the command line, three times; prints each wall time and the median.
# Usage: benchmarks/full_run.sh   (run scripts/run-pipeline once before, so the install is not timed)
set -euo pipefail
cd "$(dirname "$0")/.."
times=()
for i in 1 2 3; do
  start=$(date +%s.%N)
  scripts/run-pipeline > /dev/null
  end=$(date +%s.%N)
  times+=("$(python3 -c "print(round($end - $start, 2))")")
  echo "run $i: ${times[-1]} s"
done
printf '%s\n' "${times[@]}" | sort -n | sed -n 2p | xargs echo "median:"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(python3 --version)"
