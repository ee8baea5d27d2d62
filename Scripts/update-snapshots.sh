#!/usr/bin/env bash
# Records the text, --json and --csv output of every shipped scenario into Tests/Snapshots/,
# which the snapshot test compares byte for byte. Run it only when a change is meant to
# change what Drill prints, and say in the commit which outputs changed and why.
#   Scripts/update-snapshots.sh [path/to/drill]   (default: a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
drill=${1:-}
if [ -z "$drill" ]; then
  swift build -c release --product drill >/dev/null
  drill=.build/release/drill
fi
out=Tests/Snapshots
mkdir -p "$out"
for file in scenarios/*.json5; do
  name=$(basename "$file" .json5)
  "$drill" run "$file" --csv "$out/$name.csv" > "$out/$name.txt"
  "$drill" run "$file" --json > "$out/$name.json"
done
echo "snapshots of $(ls scenarios/*.json5 | wc -l) scenarios written to $out"
