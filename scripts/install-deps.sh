#!/usr/bin/env bash
# Installs the system libraries FieldRoute links against (Debian/Ubuntu), only when missing.
# As root it runs apt-get itself; otherwise it says what to run.
set -euo pipefail

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if command -v pkg-config >/dev/null 2>&1; then
  pkg-config --exists geos || missing+=(libgeos-dev)
  pkg-config --exists sqlite3 || missing+=(libsqlite3-dev)
  # Foundation's URLSession (a region's OSRM server) uses libcurl; the static-stdlib release links it.
  pkg-config --exists libcurl || missing+=(libcurl4-openssl-dev)
else
  missing+=(libgeos-dev libsqlite3-dev libcurl4-openssl-dev)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]}…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing system packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "swift is not on PATH: install Swift 6.1 or newer (https://swift.org/install)" >&2
  exit 2
fi
