#!/usr/bin/env bash
# Packages the VS Code extension for one platform with that platform's server inside:
#   .github/release/vsix.sh VSCE_TARGET BINARY OUTDIR   ->  OUTDIR/apigw-lsp-VSCE_TARGET.vsix
# VSCE_TARGET is a VS Code target platform (linux-x64, alpine-x64, darwin-arm64, win32-x64,
# ...); BINARY is the apigw-lsp built for it, bundled as server/apigw-lsp (.exe on win32),
# where the extension looks first. Runs `npm ci` when node_modules is missing, then the type
# check, the esbuild bundle and `vsce package --target`. Used by
# .github/workflows/release.yml and tests/release.sh.
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 VSCE_TARGET BINARY OUTDIR" >&2; exit 2; }
target=$1 binary=$2 out=$3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ -f $binary ]] || { echo "vsix.sh: no binary at $binary" >&2; exit 1; }
case $target in
    win32-x64 | win32-arm64 | linux-x64 | linux-arm64 | linux-armhf | alpine-x64 | alpine-arm64 | darwin-x64 | darwin-arm64) ;;
    *) echo "vsix.sh: unknown VS Code target $target" >&2; exit 2 ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")

cd "$repo/editors/vscode"
[[ -d node_modules ]] || npm ci --no-fund --no-audit
npm run typecheck
npm run build
exe=apigw-lsp
[[ $target == win32-* ]] && exe=apigw-lsp.exe
# Only this platform's binary goes in (server/ is git-ignored; a local `npm run package`
# fills it again).
rm -rf server
trap 'rm -rf "$repo/editors/vscode/server"' EXIT
mkdir server
cp "$binary" "server/$exe"
chmod 755 "server/$exe"
npx vsce package --no-dependencies --target "$target" -o "$out/apigw-lsp-$target.vsix"
echo "$out/apigw-lsp-$target.vsix"
