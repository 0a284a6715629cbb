#!/usr/bin/env bash
# The README's test command: installs what the tests need on Debian, then runs the whole suite.
# Tests that need a real GPU carry the trait Category=Gpu and are filtered out here.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dotnet >/dev/null; then
  echo "The .NET SDK (10.0) is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test KerasGpu.sln -c Release --filter "Category!=Gpu" "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line over all test projects.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
