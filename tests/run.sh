#!/usr/bin/env bash
# The README's test command: installs what the tests need on Debian, then runs the whole suite.
# Tests that need a real GPU carry the trait Category=Gpu and are filtered out here.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dotnet >/dev/null; then
  echo "The .NET SDK (10.0) is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi
# The Vulkan tests run on Mesa's lavapipe (a CPU Vulkan driver) with the validation layer: install the loader, the
# driver, the layer and glslc (the shader compiler the build uses when present) on Debian/Ubuntu when any is missing.
vulkan_packages=(libvulkan1 mesa-vulkan-drivers vulkan-validationlayers glslc)
missing=()
if command -v dpkg-query >/dev/null; then
  for package in "${vulkan_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} for the Vulkan tests..."
    apt_log=$(mktemp)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
      cat "$apt_log" >&2
      rm -f "$apt_log"
      exit 1
    fi
    rm -f "$apt_log"
  else
    echo "The Vulkan tests need ${missing[*]}: apt-get install ${missing[*]} (as root)." >&2
  fi
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
