#!/usr/bin/env bash
# What the live-OSRM tests need, in .build-osrm/: osrm-routed from PyPI's osrm-bindings wheel (its
# binaries need Python 3.12 to install, nothing to run) and the Monaco extract of ../shared/osrm,
# preprocessed for MLD (about 2 s). Safe to run again: it only does what is missing. Without the
# reference data or a Python 3.12 it says so and exits 0; the tests then skip with the same reason.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build-osrm"
map="$root/../shared/osrm/monaco.osm.pbf"
if [ ! -f "$map" ]; then
  echo "osrm-monaco: no $map (the reference data beside the clone): the live-OSRM tests will skip"; exit 0
fi
python=""
for candidate in "$(command -v python3.12 || true)" "$HOME"/.pyenv/versions/3.12*/bin/python3.12; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c "" 2>/dev/null; then python="$candidate"; break; fi
done
if [ -z "$python" ] && [ ! -x "$out/v/bin/python" ]; then
  echo "osrm-monaco: no Python 3.12 (osrm-bindings ships wheels for 3.12+ only): the live-OSRM tests will skip"; exit 0
fi
mkdir -p "$out"
[ -x "$out/v/bin/python" ] || "$python" -m venv "$out/v"
bin="$out/v/lib/python3.12/site-packages/osrm/bin"
[ -x "$bin/osrm-routed" ] || "$out/v/bin/pip" install --quiet --disable-pip-version-check "osrm-bindings==26.10.0"
if [ ! -f "$out/monaco.osrm.cell_metrics" ]; then
  cp "$map" "$out/monaco.osm.pbf"
  profiles="$out/v/lib/python3.12/site-packages/osrm/share/profiles"
  (cd "$out" && "$bin/osrm-extract" -p "$profiles/car.lua" monaco.osm.pbf && "$bin/osrm-partition" monaco.osrm \
     && "$bin/osrm-customize" monaco.osrm) > "$out/preprocess.log" 2>&1 \
    || { echo "osrm-monaco: preprocessing failed, see $out/preprocess.log"; exit 1; }
fi
echo "osrm-monaco: $bin/osrm-routed and $out/monaco.osrm ready"
