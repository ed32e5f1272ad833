#!/usr/bin/env bash
# End-to-end build timings of the real `forge` binary, and of `drizzle-kit generate` on the same
# tables, with hyperfine. Not part of CI (it takes several minutes); see docs/performance.md.
#
#   ci/bench.sh                    # 1,000 and 5,000 models, drizzle-kit on 1,000 tables
#   BENCH_SIZES=1000 ci/bench.sh   # only 1,000 models
#   BENCH_DRIZZLE=0 ci/bench.sh    # forge only (no npm)
#
# What it does:
#  1. builds forge, forge-synth and forge-synth-drizzle in release (CARGO_TARGET_DIR is honoured);
#  2. writes one synthetic project per size with forge-synth (ten models per schema file) in a
#     temporary folder;
#  3. times `forge build --json` there with hyperfine, four ways:
#       cold         the cache (.forge/) and out folder removed before each run;
#       no-op        everything cached, nothing changed;
#       edit         before each run (--prepare, not timed) one model's file gets a version no build
#                    has seen: the field forge_synth::with_added_field adds, with a new max= each
#                    time, so that model's nodes, validate, the assemblies and the sandbox really run;
#       edit-toggle  before each run the same file flips between two versions (edit, undo, ...):
#                    after two builds both are in the action table, so this times cache look-ups;
#  4. installs drizzle-kit and drizzle-orm with npm in the temporary folder, writes the same
#     1,000 tables as a drizzle pg-core schema (forge-synth-drizzle) and a drizzle.config.ts, and
#     times `drizzle-kit generate`: cold (empty out folder each run; also through npx), no change
#     (nothing to migrate), and the same one-table edit (out folder reset to the first migration
#     and the edited schema in place before each run);
#  5. prints a Markdown table (wall mean ± standard deviation, mean user + system time, nodes
#     executed) and the forge / drizzle-kit ratios, and leaves hyperfine's JSON exports and the
#     table in $BENCH_RESULTS (default: a results/ folder in the temporary folder, kept).
#
# Environment:
#   BENCH_SIZES           model counts (default "1000 5000")
#   BENCH_RUNS            runs per measurement (default 10)
#   BENCH_SLOW_RUNS       runs of cold and edit above 1,000 models (default 3: 20 to 70 s each today)
#   BENCH_DRIZZLE         1 (default) to time drizzle-kit too, 0 not to
#   BENCH_DRIZZLE_TABLES  models of the drizzle comparison (default 1000)
#   DRIZZLE_KIT_VERSION   default 0.31.11
#   DRIZZLE_ORM_VERSION   default 0.45.4
#   BENCH_RESULTS         where to put the JSON exports and the table
#   BENCH_KEEP            1 to keep the temporary folder (projects, node_modules)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
sizes="${BENCH_SIZES:-1000 5000}"
runs="${BENCH_RUNS:-10}"
slow_runs="${BENCH_SLOW_RUNS:-3}"
drizzle="${BENCH_DRIZZLE:-1}"
drizzle_tables="${BENCH_DRIZZLE_TABLES:-1000}"
drizzle_kit_version="${DRIZZLE_KIT_VERSION:-0.31.11}"
drizzle_orm_version="${DRIZZLE_ORM_VERSION:-0.45.4}"
models_per_file=10

work="$(mktemp -d -t forge-bench.XXXXXX)"
results="${BENCH_RESULTS:-$work/results}"
mkdir -p "$results"
cleanup() {
    if [[ "${BENCH_KEEP:-0}" == 1 || -z "${BENCH_RESULTS:-}" ]]; then
        # Keep the folder: it holds the results (or was asked for). Drop the bulky parts.
        [[ "${BENCH_KEEP:-0}" == 1 ]] || rm -rf "$work"/forge-* "$work"/drizzle
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*" >&2; }

if ! command -v hyperfine >/dev/null; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        say "installing hyperfine (Debian package)"
        apt-get install -y -qq hyperfine >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
    else
        echo "ci/bench.sh: hyperfine is missing (apt-get install hyperfine, or cargo install hyperfine)" >&2
        exit 1
    fi
fi
for tool in jq; do
    command -v "$tool" >/dev/null || { echo "ci/bench.sh: $tool is missing" >&2; exit 1; }
done

say "building forge, forge-synth and forge-synth-drizzle (release)"
(cd "$root" && cargo build --release -p forge -p forge-synth --bins)
target="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target" == /* ]] || target="$root/$target"
bin="$target/release"
forge="$bin/forge"
synth="$bin/forge-synth"
synth_drizzle="$bin/forge-synth-drizzle"

# The edit scripts: restore the pristine file, then add the line with_added_field adds (after the
# first model's `id` line in the file). edit.sh gives a new `max=` on every call (a counter file);
# toggle.sh alternates between the pristine and the edited file.
cat >"$work/edit.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
file="$1"; pristine="$2"; counter="$3"
n=$(( $(cat "$counter" 2>/dev/null || echo 0) + 1 ))
echo "$n" >"$counter"
awk -v max=$((100 + n)) '
    !done && /^  id / { print; print "  added_field_1 string max=" max " optional=#true"; done = 1; next }
    { print }' "$pristine" >"$file.tmp"
mv "$file.tmp" "$file"
EOF
cat >"$work/toggle.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
file="$1"; pristine="$2"; edited="$3"
if cmp -s "$file" "$pristine"; then cp "$edited" "$file"; else cp "$pristine" "$file"; fi
EOF
chmod +x "$work/edit.sh" "$work/toggle.sh"

# hyperfine NAME RUNS [hyperfine args...]: runs hyperfine, keeps its JSON as $results/NAME.json.
bench() {
    local name="$1" n="$2"
    shift 2
    hyperfine -N --style basic --runs "$n" --export-json "$results/$name.json" "$@" >&2
}

# executed NAME COMMAND...: one verification run of `forge build --json`, recording how many nodes
# it executed (for the table).
executed() {
    local name="$1"
    shift
    "$@" | jq -r '.executed' >"$results/$name.executed"
}

for models in $sizes; do
    files=$((models / models_per_file))
    dir="$work/forge-$models"
    say "forge: $models models in $files files ($dir)"
    "$synth" "$models" "$files" "$dir"
    # The file edited: the middle one; its first model gets the added field.
    edited_file="$dir/schema/$(printf 'part_%03d.kdl' $((files / 2)))"
    cp "$edited_file" "$work/pristine-$models.kdl"
    bash "$work/edit.sh" "$work/edited-$models.kdl" "$work/pristine-$models.kdl" "$work/unused-counter"
    build=("$forge" --project "$dir" build --json)

    slow=$runs
    ((models <= 1000)) || slow=$slow_runs
    bench "forge-$models-cold" "$slow" \
        --prepare "rm -rf $dir/.forge $dir/generated" "${build[*]}"
    rm -rf "$dir/.forge" "$dir/generated"
    executed "forge-$models-cold" "${build[@]}"

    executed "forge-$models-noop" "${build[@]}"
    bench "forge-$models-noop" "$runs" --warmup 3 "${build[*]}"

    bash "$work/edit.sh" "$edited_file" "$work/pristine-$models.kdl" "$work/counter-$models"
    executed "forge-$models-edit" "${build[@]}"
    bench "forge-$models-edit" "$slow" \
        --prepare "bash $work/edit.sh $edited_file $work/pristine-$models.kdl $work/counter-$models" \
        "${build[*]}"

    cp "$work/pristine-$models.kdl" "$edited_file"
    "${build[@]}" >/dev/null
    cp "$work/edited-$models.kdl" "$edited_file"
    "${build[@]}" >/dev/null
    bench "forge-$models-edit-toggle" "$runs" --warmup 2 \
        --prepare "bash $work/toggle.sh $edited_file $work/pristine-$models.kdl $work/edited-$models.kdl" \
        "${build[*]}"
    bash "$work/toggle.sh" "$edited_file" "$work/pristine-$models.kdl" "$work/edited-$models.kdl"
    executed "forge-$models-edit-toggle" "${build[@]}"
    cp "$work/pristine-$models.kdl" "$edited_file"
done

if [[ "$drizzle" == 1 ]]; then
    dz="$work/drizzle"
    files=$((drizzle_tables / models_per_file))
    # The model the edit changes is the first one of the middle file, as for forge above.
    edit_model=$((files / 2 * drizzle_tables / files))
    say "drizzle-kit $drizzle_kit_version, drizzle-orm $drizzle_orm_version: $drizzle_tables models ($dz)"
    mkdir -p "$dz/src"
    (
        cd "$dz"
        printf '{ "name": "forge-bench-drizzle", "private": true, "type": "module" }\n' >package.json
        npm install --silent --no-audit --no-fund --no-save \
            "drizzle-kit@$drizzle_kit_version" "drizzle-orm@$drizzle_orm_version" >&2
    )
    "$synth_drizzle" "$drizzle_tables" "$files" "$dz/schema-pristine.ts"
    "$synth_drizzle" --edit "$edit_model" "$drizzle_tables" "$files" "$dz/schema-edited.ts"
    cp "$dz/schema-pristine.ts" "$dz/src/schema.ts"
    cat >"$dz/drizzle.config.ts" <<'EOF'
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "./drizzle",
});
EOF
    kit="$dz/node_modules/.bin/drizzle-kit"
    # drizzle-kit reads drizzle.config.ts from the current folder; hyperfine runs from here.
    cd "$dz"
    # The first generate: checks it runs without a prompt, and is the edit's starting point.
    "$kit" generate </dev/null >"$results/drizzle-first.log" 2>&1
    ls drizzle/*.sql >/dev/null
    grep -c '^CREATE TABLE' drizzle/*.sql >"$results/drizzle-tables" || true
    cp -r drizzle "$work/drizzle-baseline"
    bench "drizzle-$drizzle_tables-cold" "$runs" --warmup 1 \
        --prepare "rm -rf $dz/drizzle" "$kit generate"
    # npx, as the drizzle docs run it: the same, plus npx finding the binary.
    bench "drizzle-$drizzle_tables-cold-npx" "$runs" \
        --prepare "rm -rf $dz/drizzle" "npx drizzle-kit generate"
    # No change since the last generate: drizzle-kit diffs and says there is nothing to migrate.
    rm -rf drizzle
    cp -r "$work/drizzle-baseline" drizzle
    bench "drizzle-$drizzle_tables-noop" "$runs" --warmup 1 "$kit generate"
    ls drizzle/*.sql | wc -l | grep -qx 1 || { echo "ci/bench.sh: a no-change generate wrote a migration" >&2; exit 1; }
    cat >"$work/drizzle-edit.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
rm -rf "$dz/drizzle"
cp -r "$work/drizzle-baseline" "$dz/drizzle"
cp "$dz/schema-edited.ts" "$dz/src/schema.ts"
EOF
    bash "$work/drizzle-edit.sh"
    "$kit" generate </dev/null >"$results/drizzle-edit.log" 2>&1
    # The edit's migration: one ALTER TABLE ... ADD COLUMN, nothing else.
    cat drizzle/0001_*.sql >"$results/drizzle-edit-migration.sql"
    bench "drizzle-$drizzle_tables-edit" "$runs" --warmup 1 \
        --prepare "bash $work/drizzle-edit.sh" "$kit generate"
    cd "$root"
fi

# The table.
ms() { # ms FILE: "mean ± sd" in ms from a hyperfine JSON export
    jq -r '.results[0] | "\(.mean * 1000) \(.stddev // 0 | . * 1000)"' "$1" | awk '{ printf "%.1f ± %.1f", $1, $2 }'
}
mean() { jq -r '.results[0].mean * 1000' "$1"; }
cpu() { # cpu FILE: mean user + system time in ms
    jq -r '.results[0] | (.user + .system) * 1000 | round' "$1"
}
{
    echo
    echo "machine: $(nproc) cores, $(uname -sr); load average before the table: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "forge $("$forge" --version 2>/dev/null | head -1), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (dirty)')"
    echo
    printf '| %-38s | %20s | %12s | %14s |\n' "case" "wall ms (mean ± sd)" "cpu ms" "nodes executed"
    printf '| %-38s | %20s | %12s | %14s |\n' "---" "---:" "---:" "---:"
    for models in $sizes; do
        for case in cold noop edit edit-toggle; do
            f="$results/forge-$models-$case.json"
            [[ -f "$f" ]] || continue
            printf '| %-38s | %20s | %12s | %14s |\n' "forge build, $models models, $case" "$(ms "$f")" \
                "$(cpu "$f")" "$(cat "$results/forge-$models-$case.executed" 2>/dev/null || echo '?')"
        done
    done
    if [[ "$drizzle" == 1 ]]; then
        for case in cold cold-npx noop edit; do
            f="$results/drizzle-$drizzle_tables-$case.json"
            printf '| %-38s | %20s | %12s | %14s |\n' "drizzle-kit generate, $drizzle_tables, $case" "$(ms "$f")" \
                "$(cpu "$f")" "-"
        done
        echo
        dcold="$(mean "$results/drizzle-$drizzle_tables-cold.json")"
        for case in cold noop edit; do
            f="$results/forge-$drizzle_tables-$case.json"
            [[ -f "$f" ]] || continue
            awk -v dc="$dcold" -v d="$(mean "$results/drizzle-$drizzle_tables-$case.json")" \
                -v f="$(mean "$f")" -v c="$case" -v n="$drizzle_tables" '
                function vs(t, what) {
                    if (t >= f) return sprintf("%.1fx faster than drizzle-kit generate %s", t / f, what)
                    return sprintf("%.1fx SLOWER than drizzle-kit generate %s", f / t, what)
                }
                BEGIN {
                    line = "forge " c " build (" n " models): " vs(d, c)
                    if (c != "cold") line = line ", " vs(dc, "cold")
                    print line
                }'
        done
    fi
} | tee "$results/table.md"
echo >&2
echo "hyperfine JSON exports and the table: $results" >&2
