#!/usr/bin/env bash
# Runs test projects with the process clock pinned (libfaketime) to instants that have broken
# date-dependent code before: the first working day of a month, the last day of a month, a day
# inside the Spring Festival and a 调休 working Sunday (all Asia/Shanghai). The clock starts at the
# instant and runs on. Usage: scripts/pinned-clock.sh [vitest args…]   (default: --project unit)
#   PINNED_AT="2026-12-01T01:00:00Z" scripts/pinned-clock.sh --project integration
set -uo pipefail
cd "$(dirname "$0")/.."
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
if [ -z "$lib" ]; then
  echo "libfaketime is missing: apt-get install faketime" >&2
  exit 2
fi
# UTC instants of 2026-12-01 09:00, 2026-12-31 17:00, 2027-02-08 10:00 and 2026-01-04 10:00 +08:00.
instants=(${PINNED_AT:-2026-12-01T01:00:00Z 2026-12-31T09:00:00Z 2027-02-08T02:00:00Z 2026-01-04T02:00:00Z})
[ $# -eq 0 ] && set -- --project unit
failed=0
for at in "${instants[@]}"; do
  stamp=$(date -u -d "$at" '+%Y-%m-%d %H:%M:%S')
  echo "== clock pinned to $at ($(TZ=Asia/Shanghai date -d "$at" '+%Y-%m-%d %H:%M %a') in Shanghai): vitest run $*"
  start=$(date +%s)
  if TZ=UTC LD_PRELOAD="$lib" FAKETIME="@$stamp" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    FAKETIME_NO_CACHE=1 npx vitest run "$@"; then
    echo "== $at: passed in $(($(date +%s) - start)) s"
  else
    echo "== $at: FAILED"
    failed=1
  fi
done
exit $failed
