#!/usr/bin/env bash
# Packs a release binary the way the release workflow publishes it, and the way the Zed
# extension and the README expect it:
#   apigw-lsp-TARGET.tar.gz (Windows: apigw-lsp-TARGET.zip) holding, at its top level,
#   apigw-lsp (apigw-lsp.exe), README.md and LICENSE-MIT; beside it ARCHIVE.sha256, in
#   `sha256sum` format.
#
#   .github/release/archive.sh TARGET BINARY OUTDIR
# TARGET is a Rust target triple. Used by .github/workflows/release.yml and tests/release.sh.
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 TARGET BINARY OUTDIR" >&2; exit 2; }
target=$1 binary=$2 out=$3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ -f $binary ]] || { echo "archive.sh: no binary at $binary" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

exe=apigw-lsp
[[ $target == *windows* ]] && exe=apigw-lsp.exe
cp "$binary" "$stage/$exe"
chmod 755 "$stage/$exe"
cp "$repo/README.md" "$repo/LICENSE-MIT" "$stage/"

name=apigw-lsp-$target
if [[ $target == *windows* ]]; then
    archive=$name.zip
    rm -f "$out/$archive"
    # Python's zipfile is on every runner; `zip` is not on Windows ones.
    python=$(command -v python3 || command -v python)
    (cd "$stage" && "$python" - "$out/$archive" "$exe" README.md LICENSE-MIT <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name in sys.argv[2:]:
        z.write(name)
PY
    )
else
    archive=$name.tar.gz
    # Owner root, mode 755 for the binary (GNU tar; bsdtar on macOS has no --owner).
    tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$out/$archive" "$exe" README.md LICENSE-MIT 2>/dev/null \
        || tar -C "$stage" -czf "$out/$archive" "$exe" README.md LICENSE-MIT # bsdtar on macOS
fi
if command -v sha256sum >/dev/null; then
    (cd "$out" && sha256sum "$archive" >"$archive.sha256")
else
    (cd "$out" && shasum -a 256 "$archive" >"$archive.sha256")
fi
echo "$out/$archive"
