"""pct's command line: verb lookup, option parsing, validation, errors and exit codes."""

import sys
from dataclasses import dataclass, field

from . import argv_locale, getopt, schema
from .errors import EXIT_FAILURE, ParamError, PveError, UnknownCommand

EXTRA_ARGS = "extra-args"


@dataclass
class Verb:
    name: str
    handler: object  # handler(params) -> exit status
    positionals: tuple = ("vmid",)
    options: dict = field(default_factory=dict)
    schemas: dict = field(default_factory=dict)  # positional name -> Prop
    hidden: bool = False  # left out of the usage text (verbs the stand-in lacks)

    def usage(self, program):
        words = [program, self.name]
        for name in self.positionals:
            words.append(f"[<{name}>]" if name == EXTRA_ARGS else f"<{name}>")
        if self.options:
            words.append("[OPTIONS]")
        return " ".join(words)


def _kinds(options):
    kinds = {}
    for name, prop in options.items():
        if prop.type == "boolean":
            kinds[name] = getopt.BOOL
        elif prop.list_format:
            kinds[name] = getopt.LIST
        else:
            kinds[name] = getopt.STRING
    return kinds


def resolve_verb(word, verbs, program):
    """Exact name, else a unique prefix of one (Proxmox's CLIHandler allows abbreviations)."""
    if word in verbs:
        return verbs[word]
    matches = [name for name in verbs if name.startswith(word)]
    if len(matches) == 1:
        return verbs[matches[0]]
    raise UnknownCommand(f"ERROR: unknown command '{program} {word}'")


def parse_params(verb, argv):
    """Options and positionals of one call as a params dict, checked against the schema."""
    values, positionals = getopt.parse(argv, _kinds(verb.options))
    names = list(verb.positionals)
    if names and names[-1] == EXTRA_ARGS:
        names.pop()
        if len(positionals) < len(names):
            raise ParamError("not enough arguments")
        values[EXTRA_ARGS] = positionals[len(names):]
        positionals = positionals[: len(names)]
    if len(positionals) < len(names):
        raise ParamError("not enough arguments")
    if len(positionals) > len(names):
        raise ParamError("too many arguments")
    values.update(zip(names, positionals))
    values = argv_locale.decode_params(values)
    errors = {}
    for name, value in values.items():
        prop = verb.schemas.get(name) or verb.options.get(name)
        if prop is not None:
            schema.check_prop(value, prop, name, errors)
    if errors:
        raise ParamError("Parameter verification failed.", errors)
    return values


def usage_text(program, verbs):
    lines = [f"USAGE: {program} <COMMAND> [ARGS] [OPTIONS]"]
    lines += [f"       {verbs[name].usage(program)}"
              for name in sorted(verbs) if not verbs[name].hidden]
    return "\n".join(lines) + "\n"


def run(program, verbs, argv):
    """Run one command line; returns the exit status (Proxmox: 255 for any failure)."""
    verb = None
    try:
        if not argv:
            raise UnknownCommand("ERROR: no command specified")
        verb = resolve_verb(argv[0], verbs, program)
        params = parse_params(verb, argv[1:])
        return verb.handler(params)
    except UnknownCommand as err:
        sys.stderr.write(err.render() + usage_text(program, verbs))
    except ParamError as err:
        err.usage = verb.usage(program) if verb else None
        sys.stderr.write(err.render())
    except PveError as err:
        sys.stdout.flush()
        sys.stderr.write(err.render())
    return EXIT_FAILURE
