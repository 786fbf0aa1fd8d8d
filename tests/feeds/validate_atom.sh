#!/usr/bin/env bash
# Builds the real site and validates every generated Atom feed (public/<lang>/feed.atom and
# public/<lang>/<section>/feed.atom) against the RELAX NG schema of RFC 4287 Appendix B with xmllint.
#   tests/feeds/validate_atom.sh CLEMENCY_BINARY SOURCE_DIR
# atom.rng is generated from atom.rnc by trang and committed, so running this needs only xmllint.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 CLEMENCY_BINARY SOURCE_DIR" >&2
  exit 2
fi
clemency=$1
src=$2
schema="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/atom.rng"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$clemency" build --source "$src" --out "$tmp"

mapfile -t feeds < <(find "$tmp" -type f -name feed.atom | sort)
if [[ ${#feeds[@]} -eq 0 ]]; then
  echo "no feed.atom was generated" >&2
  exit 1
fi
failed=0
for feed in "${feeds[@]}"; do
  if ! xmllint --noout --relaxng "$schema" "$feed"; then
    failed=$((failed + 1))
  fi
done
echo "validated ${#feeds[@]} Atom feeds against RFC 4287 (atom.rng): $failed failed"
[[ $failed -eq 0 ]] || exit 1
