#!/bin/sh
# Regenerates fuzz/seeds/ from the repository's real inputs: the example schemas, the front end's
# test fixtures, the forge.kdl files, and every policy, check, where= and if= expression found in them.
# Run from anywhere; the seeds are tracked, the corpora (fuzz/corpus/) are not.
set -eu
export LC_ALL=C
root=$(cd "$(dirname "$0")/../.." && pwd)
seeds="$root/fuzz/seeds"
rm -f "$seeds"/schema/*.kdl "$seeds"/config/*.kdl "$seeds"/expr/*.txt
mkdir -p "$seeds/schema" "$seeds/config" "$seeds/expr"

for f in "$root"/examples/*/schema/*.kdl; do
  ex=$(basename "$(dirname "$(dirname "$f")")")
  cp "$f" "$seeds/schema/example-$ex-$(basename "$f")"
done
for f in "$root"/frontend/tests/fixtures/*/*.kdl; do
  kind=$(basename "$(dirname "$f")")
  cp "$f" "$seeds/schema/fixture-$kind-$(basename "$f")"
done

cp "$root/forge.kdl" "$seeds/config/root-forge.kdl"
for f in "$root"/examples/*/forge.kdl "$root"/tests/fixtures/*/forge.kdl; do
  [ -f "$f" ] || continue
  cp "$f" "$seeds/config/$(basename "$(dirname "$f")")-forge.kdl"
done

# Expressions: the quoted argument of `policy <action> "..."` and `check "..."`, and `where="..."`,
# deduplicated, one file each.
sed -n -e 's/^ *policy [a-z-]* "\(.*\)".*$/\1/p' \
       -e 's/^ *check "\([^"]*\)".*$/\1/p' \
       -e 's/.*where="\([^"]*\)".*/\1/p' \
       -e 's/^ *[a-z]* [a-z-]* [A-Za-z_ ]*if="\([^"]*\)".*/\1/p' \
  "$seeds"/schema/*.kdl | sort -u | awk -v dir="$seeds/expr" '
  { n++; f = sprintf("%s/%03d.txt", dir, n); printf "%s", $0 > f; close(f) }'
