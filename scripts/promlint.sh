#!/usr/bin/env bash
# The project's exposition lint: `promtool check metrics` plus a duplicate-series check.
#
# Usage: scripts/promlint.sh URL|FILE|- [--namespace NS]
#   URL is fetched as classic text (promtool cannot parse OpenMetrics); `-` reads standard input.
#   --namespace NS: the exposition was made with `namespace: NS` (names start with `NS_`).
# Exit: 0 clean | 1 parse error | 2 usage or fetch error | 3 lint findings | 4 empty body | 5 duplicates
#
# One promtool finding is excused, for two names only: "non-counter metrics should not have _total
# suffix" on nestjs_migrations_applied_total and nestjs_migrations_unapplied_total. They are gauges
# that keep django-prometheus's names on purpose (SPEC §4.5), so that dashboards and alerts ported
# from Django keep working. Every other finding, on every other name, fails the lint.
set -uo pipefail

src="${1:-}"
namespace=""
if [[ "${2:-}" == "--namespace" ]]; then namespace="${3:-}"; fi
if [[ -z "$src" ]]; then echo "usage: $0 URL|FILE|- [--namespace NS]" >&2; exit 2; fi
if ! command -v promtool >/dev/null; then echo "promlint: promtool is missing (apt-get install -y prometheus)" >&2; exit 2; fi

body="$(mktemp)"
trap 'rm -f "$body"' EXIT
case "$src" in
  http://* | https://*)
    if ! curl -fsS --max-time 10 -H 'Accept: text/plain; version=0.0.4' -o "$body" "$src"; then
      echo "promlint: could not fetch $src" >&2; exit 2
    fi ;;
  -) cat > "$body" ;;
  *) cat -- "$src" > "$body" || exit 2 ;;
esac
if [[ ! -s "$body" ]]; then echo "promlint: empty exposition" >&2; exit 4; fi

findings="$(promtool check metrics < "$body" 2>&1)"
status=$?
prefix=""
if [[ -n "$namespace" ]]; then prefix="${namespace}_"; fi
excused="^${prefix}nestjs_migrations_(applied|unapplied)_total non-counter metrics should not have \"_total\" suffix\$"
left="$(printf '%s\n' "$findings" | grep -Ev "$excused" | grep -v '^$')"
if (( status == 3 )) && [[ -z "$left" ]]; then
  status=0
fi
if (( status != 0 )); then
  printf '%s\n' "$left" >&2
  echo "promlint: promtool found problems (exit $status)" >&2
  exit "$status"
fi

# promtool 2.42 accepts a series written twice; prometheus_client's parser (Debian's
# python3-prometheus-client, importable by /usr/bin/python3 only) lets us catch that.
if /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
  /usr/bin/python3 - "$body" <<'PY' || exit 5
import sys
from prometheus_client.parser import text_string_to_metric_families

with open(sys.argv[1]) as handle:
    text = handle.read()
seen = set()
repeated = []
for family in text_string_to_metric_families(text):
    for sample in family.samples:
        key = (sample.name, frozenset(sample.labels.items()))
        if key in seen:
            repeated.append(f"{sample.name}{dict(sample.labels)}")
        seen.add(key)
for series in repeated:
    print(f"promlint: series exposed twice: {series}", file=sys.stderr)
sys.exit(1 if repeated else 0)
PY
else
  echo "promlint: note: /usr/bin/python3 has no prometheus_client; duplicate-series check skipped" >&2
fi
echo "promlint: OK" >&2
