#!/usr/bin/env python3
"""Generate a folder of templates for timing `apigw-lsp check` over many files.

Writes COUNT templates made by gen_template.py (10 routes each by default: 13 KB,
391 lines, 34 resources), seeds 1..COUNT, as OUT/t0001.yaml ... Every
--broken-every'th file gets three mistakes that `check` reports and `--fix` fixes
(a misspelt subtype, parameter name and expression), so the output is not empty and
`--fix` has work to do. Deterministic; standard library only.

    python3 bench/gen_check_corpus.py --count 2000 --out target/bench-data/check-2000
"""
from __future__ import annotations

import argparse
import pathlib
import shutil
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import gen_template  # noqa: E402

# Each replaced once, in a template that has it; all three are fixed by --fix.
MISTAKES = [
    ("IntegrationSubtype: EventBridge-PutEvents", "IntegrationSubtype: EventBridge-PutEvent"),
    ("QueueUrl:", "QueueURL:"),
    ("$request.header.", "$request.heder."),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=2000, help="number of templates (default 2000)")
    ap.add_argument("--routes", type=int, default=10, help="routes per template (default 10: 13 KB)")
    ap.add_argument("--broken-every", type=int, default=10,
                    help="every Nth template gets mistakes (default 10; 0: none)")
    ap.add_argument("--out", required=True, help="folder to write (emptied first)")
    args = ap.parse_args(argv)
    if args.count < 1 or args.routes < 1 or args.broken_every < 0:
        ap.error("--count and --routes must be >= 1, --broken-every >= 0")

    out = pathlib.Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    total = 0
    width = len(str(args.count))
    for i in range(1, args.count + 1):
        template, _ = gen_template.build(args.routes, 10, i, False)
        text = gen_template.to_yaml(template)
        if args.broken_every and i % args.broken_every == 0:
            for old, new in MISTAKES:
                text = text.replace(old, new, 1)
        path = out / f"t{i:0{width}d}.yaml"
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
    print(f"{out}: {args.count} templates, {total} bytes ({total // args.count} on average)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
