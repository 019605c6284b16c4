#!/usr/bin/env bash
# Builds the in-sandbox agent (Rust, standard library only, no cargo) into target/agent/airlock-agent,
# a static binary, and copies it to target/classes/agent/ where the Java side loads it as the classpath
# resource /agent/airlock-agent; also the integration tests' probes, target/agent/syscall-probe and
# target/agent/net-probe.
#   bash agent/build.sh          build (skipped when the binary is newer than every source)
#   bash agent/build.sh --test   build, then build and run the unit and end-to-end tests
# RUSTC picks the compiler (default: rustc on PATH; Debian's 1.63 and newer ones both work).
set -euo pipefail
cd "$(dirname "$0")/.."

RUSTC=${RUSTC:-rustc}
OUT=target/agent
BIN=$OUT/airlock-agent
CLASSES=target/classes/agent
FLAGS=(--edition 2021 -O -C panic=abort -C debuginfo=0)
RELEASE=(-C lto -C codegen-units=1 -C target-feature=+crt-static)

command -v "$RUSTC" >/dev/null 2>&1 || { echo "agent/build.sh: no Rust compiler ($RUSTC); install rustc" >&2; exit 1; }
mkdir -p "$OUT" "$CLASSES"

newer_sources() { [ ! -e "$BIN" ] || [ -n "$(find agent/src agent/build.sh -newer "$BIN" -print -quit)" ]; }

# compile SOURCE OUTPUT: a static release binary, stripped where the compiler can
compile() {
  # -C strip exists since rustc 1.59; without it the binary is only bigger
  if ! "$RUSTC" "${FLAGS[@]}" "${RELEASE[@]}" -C strip=symbols "$1" -o "$2.tmp" 2>"$OUT/build.log"; then
    if grep -q "strip" "$OUT/build.log"; then
      "$RUSTC" "${FLAGS[@]}" "${RELEASE[@]}" "$1" -o "$2.tmp"
    else
      cat "$OUT/build.log" >&2
      exit 1
    fi
  fi
  cat "$OUT/build.log" >&2
  mv "$2.tmp" "$2"
  if command -v file >/dev/null 2>&1 && ! file "$2" | grep -q "static"; then
    echo "agent/build.sh: $2 is not statically linked (is libc6-dev installed?)" >&2
    exit 1
  fi
}

if newer_sources; then
  echo "agent: building $BIN with $("$RUSTC" --version)"
  compile agent/src/main.rs "$BIN"
fi
# the integration tests' probes (agent/probe): uploaded into sandboxes by the tests, never put in
# the jar
for probe in syscall net; do
  out=$OUT/$probe-probe
  if [ ! -e "$out" ] || [ agent/probe/${probe}_probe.rs -nt "$out" ] || [ agent/build.sh -nt "$out" ]; then
    echo "agent: building $out"
    compile agent/probe/${probe}_probe.rs "$out"
  fi
done
cp -p "$BIN" "$CLASSES/airlock-agent"

if [ "${1:-}" = "--test" ]; then
  echo "agent: unit tests"
  "$RUSTC" --edition 2021 --test -C debuginfo=0 agent/src/main.rs -o "$OUT/unit-tests"
  "$OUT/unit-tests" -q
  echo "agent: end-to-end tests against $BIN"
  "$RUSTC" --edition 2021 --test -C debuginfo=0 agent/tests.rs -o "$OUT/e2e-tests"
  AIRLOCK_AGENT="$PWD/$BIN" "$OUT/e2e-tests" -q --nocapture
fi
