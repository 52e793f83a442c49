"""Checks editors/mason/package.yaml for tests/registries.sh.

usage: check_mason.py PACKAGE_YAML RELEASE_YML VERSION [SCHEMA_DIR]

Always: the rules of mason-registry's package schema (mason-org/registry-schema,
schemas/package.schema.json and the components it uses) that apply to a package of this
shape, written out here because the schema cannot be fetched on the CI machines; and the
entry against this project: the version is the workspace's, every asset is an archive that
.github/workflows/release.yml builds, with the binary where .github/release/archive.sh puts
it, and the lspconfig name is editors/neovim/lsp/apigw_lsp.lua's.

With SCHEMA_DIR (the `schemas` folder of a registry-schema checkout): also validates with
jsonschema against the real schema, every $ref resolved from the files there.
"""

import json
import pathlib
import re
import sys

import yaml

# enums/platform.json and enums/category.json of the registry schema.
PLATFORMS = {
    "unix", "darwin", "darwin_arm64", "darwin_x64", "linux", "linux_arm", "linux_arm64",
    "linux_arm64_gnu", "linux_arm64_musl", "linux_arm64_openbsd", "linux_arm_gnu",
    "linux_armv6_gnu", "linux_armv6l", "linux_armv7_gnu", "linux_armv7l", "linux_x64",
    "linux_x64_gnu", "linux_x64_musl", "linux_x64_openbsd", "linux_x86", "linux_x86_gnu",
    "linux_x86_musl", "linux_x86_openbsd", "win", "win_arm", "win_arm64", "win_armv6l",
    "win_armv7l", "win_x64", "win_x86",
}
CATEGORIES = {"Compiler", "DAP", "Formatter", "LSP", "Linter", "Runtime"}
ROOT_KEYS = {"name", "description", "homepage", "licenses", "languages", "categories",
             "deprecation", "source", "schemas", "bin", "share", "opt", "neovim", "ci_skip"}
REQUIRED = {"name", "description", "homepage", "licenses", "languages", "categories", "source"}
# enums/license.json accepts SPDX ids and expressions of this shape.
LICENSE = re.compile(r"^[a-zA-Z0-9-.:]+\+?(?: +(?:WITH|AND|OR) +[a-zA-Z0-9-.:]+\+?)*$")

errors = []


def check(ok, message):
    if not ok:
        errors.append(message)


def main():
    package_path, release_path, version = sys.argv[1:4]
    schema_dir = sys.argv[4] if len(sys.argv) > 4 else None
    pkg = yaml.safe_load(open(package_path, encoding="utf-8"))
    release = open(release_path, encoding="utf-8").read()

    # The schema's rules.
    check(isinstance(pkg, dict), "the package is not a mapping")
    check(set(pkg) <= ROOT_KEYS, f"keys the schema does not allow: {sorted(set(pkg) - ROOT_KEYS)}")
    check(REQUIRED <= set(pkg), f"required keys missing: {sorted(REQUIRED - set(pkg))}")
    check(isinstance(pkg.get("name"), str), "name is not a string")
    check(isinstance(pkg.get("description"), str), "description is not a string")
    check(re.match(r"^https?://", str(pkg.get("homepage", ""))), "homepage is not an http(s) URL")
    licenses = pkg.get("licenses") or []
    check(isinstance(licenses, list) and licenses, "licenses is not a non-empty list")
    for lic in licenses:
        check(isinstance(lic, str) and LICENSE.match(lic), f"license {lic!r} is not an SPDX id")
    check(all(isinstance(l, str) for l in pkg.get("languages", [])), "languages are not strings")
    for cat in pkg.get("categories", []):
        check(cat in CATEGORIES, f"category {cat!r} is not one of {sorted(CATEGORIES)}")
    source = pkg.get("source", {})
    # sources/github/release.json
    check(re.match(r"^pkg:github/.+/.+@.+", str(source.get("id", ""))), "source.id is not pkg:github/OWNER/REPO@TAG")
    check("supported_platforms" not in source, "a github release source must not list supported_platforms")
    assets = source.get("asset")
    check(isinstance(assets, list) and assets, "source.asset is not a list of assets")
    for asset in assets or []:
        check(isinstance(asset, dict) and {"file", "target"} <= set(asset), f"asset without file and target: {asset}")
        targets = asset.get("target")
        for target in targets if isinstance(targets, list) else [targets]:
            check(target in PLATFORMS, f"asset target {target!r} is not a Mason platform")
        check(isinstance(asset.get("file"), (str, list)), f"asset file is not a string: {asset}")
    bins = pkg.get("bin", {})
    check(isinstance(bins, dict), "bin is not a mapping")
    for name, value in bins.items():
        check(re.match(r"^[a-zA-Z0-9_\-\.]+$", name) and isinstance(value, str), f"bin entry {name!r}: {value!r}")
    check(isinstance(pkg.get("neovim", {}).get("lspconfig"), str), "neovim.lspconfig is not a string")

    # This project.
    check(pkg.get("name") == "apigw-lsp", "name is not apigw-lsp")
    check(source.get("id") == f"pkg:github/apigw-lsp/apigw-lsp@v{version}",
          f"source.id {source.get('id')!r} is not the workspace version v{version}")
    check(pkg.get("homepage") == "https://github.com/apigw-lsp/apigw-lsp", "homepage is not the repository")
    check(bins == {"apigw-lsp": "{{source.asset.bin}}"}, f"bin: {bins}")
    check(pkg.get("neovim", {}).get("lspconfig") == "apigw_lsp", "lspconfig name is not apigw_lsp")
    built = set(re.findall(r"target: ([a-z0-9_]+-[a-z0-9_-]+),", release))
    seen = set()
    for asset in assets or []:
        m = re.fullmatch(r"apigw-lsp-(.+)\.(tar\.gz|zip)", str(asset.get("file")))
        check(m and m.group(1) in built, f"{asset.get('file')} is not an archive release.yml builds ({sorted(built)})")
        if m:
            windows = "windows" in m.group(1)
            check((m.group(2) == "zip") == windows, f"{asset['file']}: Windows archives are zip, others tar.gz")
            check(asset.get("bin") == ("apigw-lsp.exe" if windows else "apigw-lsp"),
                  f"{asset['file']}: the binary is at the archive's top level (archive.sh), not {asset.get('bin')!r}")
        targets = asset.get("target")
        seen.update(targets if isinstance(targets, list) else [targets])
    for platform in ("darwin_arm64", "darwin_x64", "linux_x64", "linux_arm64", "win_x64"):
        check(platform in seen, f"no asset for {platform}")

    if schema_dir:
        validate_with_schema(pkg, pathlib.Path(schema_dir))

    if errors:
        for e in errors:
            print(f"mason package.yaml: {e}", file=sys.stderr)
        sys.exit(1)


def validate_with_schema(pkg, schema_dir):
    import jsonschema
    from referencing import Registry, Resource

    resources = []
    root = None
    for path in sorted(schema_dir.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "$id" not in doc:
            continue
        resources.append((doc["$id"], Resource.from_contents(doc)))
        if path.name == "package.schema.json":
            root = doc
    check(root is not None, f"no package.schema.json under {schema_dir}")
    if root is None:
        return
    registry = Registry().with_resources(resources)
    validator = jsonschema.Draft202012Validator(root, registry=registry)
    for error in sorted(validator.iter_errors(pkg), key=lambda e: list(e.path)):
        errors.append(f"schema: {'/'.join(map(str, error.path)) or '(root)'}: {error.message[:300]}")
    print(f"   validated against the registry schema in {schema_dir} ({len(resources)} schema files)")


if __name__ == "__main__":
    main()
