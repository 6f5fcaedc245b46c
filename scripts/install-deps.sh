#!/usr/bin/env bash
# Installs what biocorpus needs to build and test, from Debian 12's packages.
# Does nothing when everything is already installed; safe to rerun.
# --fuzz adds clang and its libFuzzer / sanitizer runtimes (scripts/fuzz.sh);
# --bench adds h2load, PostgreSQL and SQLite (scripts/bench.sh).
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  grpc-proto libabsl-dev librocksdb-dev libgtest-dev libgmock-dev
  libgumbo-dev libyaml-cpp-dev libicu-dev libspdlog-dev libssl-dev
  libhyperscan-dev libcpp-httplib-dev libjemalloc-dev
  libstemmer-dev
  python3 python3-yaml python3-icu python3-fake-factory iso-codes tzdata wamerican
  bibutils openssl curl gnuplot-nox
)
for arg in "$@"; do
  case "$arg" in
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    --bench) packages+=(nghttp2-client postgresql libsqlite3-dev linux-perf) ;;
    *) echo "install-deps: unknown argument $arg" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
