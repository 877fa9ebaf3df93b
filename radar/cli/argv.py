"""Global options accepted after the command too: `radar init --config PATH` as the docs
write it, as well as `radar --config PATH init` as Click parses it.

Click takes a group's options only before its subcommand; users (and the examples in
the docs) put `--config` where it reads naturally. The global options are moved to the
front before Click sees the arguments; no command has options of these names.
"""
import re

WITH_VALUE = frozenset({"--config", "-c", "--db"})
FLAGS = frozenset({"--debug", "--verbose"})
_COUNTED = re.compile(r"-v+")


def hoist_global_options(argv: list[str]) -> list[str]:
    """argv with the global options found after the command moved before it."""
    front: list[str] = []
    hoisted: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest += argv[i:]
            break
        name = arg.split("=", 1)[0]
        takes_value = name in WITH_VALUE and "=" not in arg
        is_global = name in WITH_VALUE or arg in FLAGS or bool(_COUNTED.fullmatch(arg))
        if is_global:
            target = hoisted if rest else front
            target += argv[i:i + 2] if takes_value else [arg]
            i += 2 if takes_value else 1
            continue
        if rest or not arg.startswith("-"):
            rest.append(arg)  # the command, its subcommands, their arguments and options
        else:
            front.append(arg)  # -h / --help and the like, before any command
        i += 1
    return front + hoisted + rest
