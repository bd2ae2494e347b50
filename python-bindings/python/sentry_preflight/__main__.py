"""``python -m sentry_preflight``: check policy files, print the defaults.

    python -m sentry_preflight check policy.json [more.json ...]
    python -m sentry_preflight defaults > policy.json

``check`` loads each file the way ``Preflight`` does (so the core validates
it) and prints ``ok``, or the JSON path and reason of the first problem; the
exit status is 0 when every file is valid, 1 otherwise.
"""

import argparse
import json
import sys
from typing import List, Optional

from . import PolicyError, Preflight, default_policy


def check(paths: List[str]) -> int:
    status = 0
    for path in paths:
        try:
            Preflight(path)
        except PolicyError as error:
            print(f"{path}: {error.path or '(the document)'}: {error.reason}", file=sys.stderr)
            status = 1
        except OSError as error:
            print(f"{path}: {error.strerror or error}", file=sys.stderr)
            status = 1
        else:
            print(f"{path}: ok")
    return status


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sentry_preflight", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check_command = commands.add_parser("check", help="validate policy files")
    check_command.add_argument("paths", nargs="+", metavar="POLICY.json")
    commands.add_parser("defaults", help="print the default policy with every member written out")
    arguments = parser.parse_args(argv)
    if arguments.command == "defaults":
        print(json.dumps(default_policy(), indent=2))
        return 0
    return check(arguments.paths)


if __name__ == "__main__":
    sys.exit(main())
