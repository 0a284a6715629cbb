#!/usr/bin/env bash
# The README's test command: installs what the tests need on Debian, then runs the whole suite.
# Tests that need a real GPU carry the trait Category=Gpu and are filtered out here.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dotnet >/dev/null; then
  echo "The .NET SDK (10.0) is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi
dotnet test KerasGpu.sln -c Release --filter "Category!=Gpu" "$@"
