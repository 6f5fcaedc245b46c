# Sourced by scripts/demo.sh, bench.sh and soak.sh: starts the servers they
# need and waits for them, in $work (their output and logs), keeping their
# pids in the array `pids`.

# start VAR NAME BINARY ARGS...: runs BINARY ARGS in the background and waits
# (up to 60 s) for its "listening on HOST:PORT" line; sets VAR to HOST:PORT
# and VAR_pid to its pid. Fails, showing its log, when it exits or never
# listens.
start() {
  local var=$1 name=$2; shift 2
  "$@" >"$work/$name.out" 2>"$work/$name.log" &
  pids+=($!)
  printf -v "${var}_pid" '%s' "$!"
  for _ in $(seq 1 600); do
    if grep -q ' listening on ' "$work/$name.out" 2>/dev/null; then
      printf -v "$var" '%s' "$(awk '/ listening on /{print $4; exit}' "$work/$name.out")"
      return 0
    fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "$name did not start; its log:" >&2
  cat "$work/$name.log" >&2
  return 1
}
