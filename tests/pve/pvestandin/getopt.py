"""Command-line parsing the way PVE's CLIHandler drives Getopt::Long.

PVE configures Getopt::Long with only prefix_pattern=(--|-), so its defaults hold: option names
are case-insensitive and may be abbreviated to a unique prefix; `-o v`, `--o v` and `--o=v` all
work; arguments are permuted (positionals may sit among options) and `--` ends the options.
Booleans are declared `name:s` (optional value), everything else `name=s` (a mandatory value
that takes the next argument whatever it looks like); `-list` formats are `name=s@`.
"""

import re

from .errors import ParamError

BOOL = "boolean"
STRING = "string"
LIST = "list"

_OPTION = re.compile(r"^(--|-)(.+)$", re.S)
_TRUE = re.compile(r"^(1|on|yes|true)$", re.I)
_FALSE = re.compile(r"^(0|off|no|false)$", re.I)


def _looks_like_option(arg):
    # What Getopt::Long will not take as an optional value: `--`, or a prefix plus a name.
    return arg == "--" or _OPTION.match(arg) is not None


def _resolve(name, kinds):
    """The canonical option for a typed name: exact (case-insensitive) match, else unique prefix."""
    lowered = name.lower()
    for canonical in kinds:
        if canonical.lower() == lowered:
            return canonical, None
    matches = sorted(c for c in kinds if c.lower().startswith(lowered))
    if len(matches) == 1:
        return matches[0], None
    if matches:
        return None, f"Option {lowered} is ambiguous ({', '.join(m.lower() for m in matches)})"
    return None, f"Unknown option: {lowered}"


def parse(argv, kinds):
    """Split argv into ({option: value}, [positionals]).

    kinds maps each option's canonical name to BOOL, STRING or LIST. Booleans come back as 0/1;
    a repeated option's last value wins, LIST values are joined with ',' as PVE does.
    Raises ParamError (400) with Getopt::Long's warnings, as PVE's get_options does.
    """
    values, positionals, warnings = {}, [], []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--":
            positionals.extend(args)
            break
        match = _OPTION.match(arg)
        if not match:
            positionals.append(arg)
            continue
        body = match.group(2)
        name, eq, inline = body.partition("=")
        canonical, problem = _resolve(name, kinds)
        if problem:
            warnings.append(problem)
            continue
        kind = kinds[canonical]
        if kind == BOOL:
            if eq:
                value = inline
            elif args and not _looks_like_option(args[0]):
                value = args.pop(0)
            else:
                value = ""
        else:
            if eq and inline != "":
                value = inline
            elif not eq and args:
                value = args.pop(0)
            else:
                warnings.append(f"Option {name.lower()} requires an argument")
                continue
        if kind == LIST:
            values.setdefault(canonical, []).append(value)
        else:
            values[canonical] = value
    if warnings:
        raise ParamError("unable to parse option", warnings=warnings)
    for canonical, value in list(values.items()):
        if kinds[canonical] == LIST:
            values[canonical] = ",".join(value)
        elif kinds[canonical] == BOOL:
            values[canonical] = parse_bool(value)
    return values, positionals


def parse_bool(value):
    """A CLI boolean: bare/empty is true; anything but the known words is a 400."""
    if value == "" or _TRUE.match(value):
        return 1
    if _FALSE.match(value):
        return 0
    raise ParamError("unable to parse boolean option")
