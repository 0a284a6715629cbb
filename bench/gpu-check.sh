#!/usr/bin/env bash
# GPU check for a Linux machine with an NVIDIA GPU and driver but no .NET SDK and no network.
#
# 1. On a machine with the .NET SDK, make the bundle (self-contained publishes; xunit.v3 test projects are
#    executables):
#        bench/gpu-check.sh --make-bundle gpu-bundle
#    which runs, from the repository root:
#        dotnet publish bench/KerasGpu.Bench -c Release -r linux-x64 --self-contained -o gpu-bundle/bench
#        dotnet publish tests/<Project> -c Release -r linux-x64 --self-contained -o gpu-bundle/tests/<Project>   (each)
#    and copies this script and bench/peers.py into the bundle. To ship a Vulkan loader for machines without one,
#    put libvulkan.so.1 in gpu-bundle/vulkan/ (e.g. from Debian's libvulkan1), or pass --vulkan-loader PATH.
# 2. Copy gpu-bundle/ to the GPU machine and run:
#        gpu-bundle/gpu-check.sh RESULTS_DIR [--quick] [--backends LIST]
#    It records the GPU and driver, runs every test executable with only the GPU-tagged tests (trait Category=Gpu),
#    runs the benchmarks (full mode unless --quick) and, where python3 imports torch, bench/peers.py on the GPU.
#    All tables and logs land in RESULTS_DIR. Nothing is faked: the bench lists absent backends with the reason
#    (e.g. ilgpu:opencl without an OpenCL driver), and a test executable without GPU-tagged tests says so.
#    Size: each self-contained publish carries its own runtime (~90 MB); compress the bundle (tar -cJf) before carrying.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
invocation="$0 $*"

make_bundle() {
  local out="$1" loader="${2:-}" repo
  repo="$(cd "$here/.." && pwd)"
  [[ -f "$repo/KerasGpu.sln" ]] || { echo "--make-bundle runs from the repository's bench/ folder" >&2; exit 2; }
  command -v dotnet >/dev/null || { echo "--make-bundle needs the .NET SDK" >&2; exit 2; }
  mkdir -p "$out" && out="$(cd "$out" && pwd)"
  (cd "$repo" && dotnet publish bench/KerasGpu.Bench -c Release -r linux-x64 --self-contained -o "$out/bench") || exit 1
  for proj in "$repo"/tests/*/*.csproj; do
    local name; name="$(basename "$proj" .csproj)"
    (cd "$repo" && dotnet publish "$proj" -c Release -r linux-x64 --self-contained -o "$out/tests/$name") || exit 1
  done
  cp "$here/gpu-check.sh" "$here/peers.py" "$out/"
  if [[ -n "$loader" ]]; then mkdir -p "$out/vulkan" && cp -L "$loader" "$out/vulkan/libvulkan.so.1"; fi
  echo "Bundle ready: $out (copy it to the GPU machine and run: $out/gpu-check.sh RESULTS_DIR)"
}

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

results="" quick=0 backends="" bundle="" loader=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --make-bundle) bundle="${2:?--make-bundle needs a folder}"; shift 2 ;;
    --vulkan-loader) loader="${2:?--vulkan-loader needs a path}"; shift 2 ;;
    --quick) quick=1; shift ;;
    --backends) backends="${2:?--backends needs a list}"; shift 2 ;;
    --bundle-dir) here="$(cd "${2:?}" && pwd)"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
    *) results="$1"; shift ;;
  esac
done
if [[ -n "$bundle" ]]; then make_bundle "$bundle" "$loader"; exit $?; fi
[[ -n "$results" ]] || { usage >&2; exit 2; }
bench_exe="$here/bench/KerasGpu.Bench"
[[ -x "$bench_exe" ]] || { echo "No self-contained bench at $bench_exe: make the bundle first (--make-bundle)." >&2; exit 2; }
mkdir -p "$results" && results="$(cd "$results" && pwd)"
report="$results/gpu-check.md"
status=0

{
  echo "# GPU check"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo "- Command: \`$invocation\`"
  echo "- Host: $(uname -srm); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
} > "$report"

# --- the GPU and its driver ------------------------------------------------------------------------------------
if command -v nvidia-smi >/dev/null; then
  nvidia-smi > "$results/nvidia-smi.txt" 2>&1
  gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
  echo "- NVIDIA GPU: ${gpu:-nvidia-smi failed (see nvidia-smi.txt)}" >> "$report"
else
  echo "- NVIDIA GPU: none found (no nvidia-smi on PATH)" >> "$report"
fi

# --- Vulkan loader: the system's, else the one shipped beside this script --------------------------------------
if ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  echo "- Vulkan loader: system ($(ldconfig -p | grep -m1 'libvulkan.so.1' | awk '{print $NF}'))" >> "$report"
elif [[ -f "$here/vulkan/libvulkan.so.1" ]]; then
  export LD_LIBRARY_PATH="$here/vulkan${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "- Vulkan loader: shipped ($here/vulkan/libvulkan.so.1 via LD_LIBRARY_PATH)" >> "$report"
else
  echo "- Vulkan loader: none (no system libvulkan.so.1 and none shipped in $here/vulkan/)" >> "$report"
fi
if command -v vulkaninfo >/dev/null; then vulkaninfo --summary > "$results/vulkaninfo.txt" 2>&1; fi

# --- GPU-tagged tests -------------------------------------------------------------------------------------------
echo >> "$report"
echo "## GPU-tagged tests (trait Category=Gpu)" >> "$report"
echo >> "$report"
shopt -s nullglob
test_dirs=("$here"/tests/*/)
[[ ${#test_dirs[@]} -gt 0 ]] || echo "- no test executables in $here/tests/" >> "$report"
for dir in "${test_dirs[@]}"; do
  name="$(basename "$dir")"
  exe="$dir$name"
  if [[ ! -x "$exe" ]]; then echo "- $name: no executable $exe" >> "$report"; status=1; continue; fi
  # xunit.v3's own command line (the test executable's): -trait filters, -xml writes results.
  "$exe" -noColor -trait "Category=Gpu" -xml "$results/tests-$name.xml" > "$results/tests-$name.log" 2>&1
  rc=$?
  summary="$(grep -E 'Total: [0-9]+' "$results/tests-$name.log" | tail -1 | sed 's/^ *//')"
  total="$(grep -oE 'Total: [0-9]+' <<< "$summary" | grep -oE '[0-9]+' || echo 0)"
  if [[ "${total:-0}" == 0 && $rc -eq 0 ]]; then
    echo "- $name: no GPU-tagged tests (nothing ran; log tests-$name.log)" >> "$report"
  else
    echo "- $name: exit $rc; ${summary:-no summary line, see tests-$name.log}" >> "$report"
    [[ $rc -eq 0 ]] || status=1
  fi
done

# --- benchmarks ---------------------------------------------------------------------------------------------------
echo >> "$report"
echo "## Benchmarks" >> "$report"
echo >> "$report"
bench_args=(--out "$results/bench")
[[ $quick -eq 1 ]] && bench_args+=(--quick)
[[ -n "$backends" ]] && bench_args+=(--backends "$backends")
"$bench_exe" --list-backends > "$results/backends.txt" 2>&1
sed 's/^/    /' "$results/backends.txt" >> "$report"
if ! grep -qE '^ +(ilgpu|vulkan)[^ ]* +present' "$results/backends.txt"; then
  echo >> "$report"
  echo "No GPU backend is present in this build (see the list above): the benchmarks below measure only what exists." >> "$report"
fi
(cd "$results" && KERASGPU_BENCH_COMMAND="$bench_exe ${bench_args[*]}" "$bench_exe" "${bench_args[@]}") > "$results/bench.log" 2>&1
rc=$?
[[ $rc -eq 0 ]] || status=1
echo >> "$report"
echo "Bench exit code $rc; log bench.log; BenchmarkDotNet tables in bench/results/; summary:" >> "$report"
echo >> "$report"
if [[ -f "$results/bench/kerasgpu-summary.md" ]]; then
  sed 's/^# /### /' "$results/bench/kerasgpu-summary.md" >> "$report"
else
  echo "(no summary table was written)" >> "$report"
fi

# --- PyTorch peers --------------------------------------------------------------------------------------------
echo >> "$report"
echo "## Peers (PyTorch)" >> "$report"
echo >> "$report"
py=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import torch, numpy' >/dev/null 2>&1; then py="$candidate"; break; fi
done
if [[ -z "$py" ]]; then
  echo "python3 with torch and numpy not found: no peer numbers." >> "$report"
else
  device=cpu
  "$py" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null && device=cuda
  peer_args=(--torch-device "$device" --out "$results/peers.md")
  [[ $quick -eq 1 ]] && peer_args+=(--quick)
  "$py" "$here/peers.py" "${peer_args[@]}" > "$results/peers.log" 2>&1 || status=1
  if [[ -f "$results/peers.md" ]]; then sed 's/^# /### /' "$results/peers.md" >> "$report"; else echo "peers.py failed; see peers.log" >> "$report"; fi
fi

echo >> "$report"
echo "Overall status: $([[ $status -eq 0 ]] && echo OK || echo 'FAILURES (see above)')" >> "$report"
echo "Report: $report"
exit $status
