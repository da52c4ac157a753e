"""dpkg-query, reduced to what nexcage asks: `dpkg-query -W -f FORMAT [--] PACKAGE`, answered
from the stand-in root's var/lib/dpkg/status (the Proxmox packages the stand-in models).

Like dpkg-query: exit 1 with "no packages found matching" for an unknown package, backslash
escapes in FORMAT, ${Field} for a field of the package's paragraph and ${db:Status-Status} for
the status word. Other options, or fields this stand-in does not know, are refused (exit 2).
"""

import re
import sys

from .root import find_root_or_report

_FIELD = re.compile(r"\$\{([^}]*)\}")
_KNOWN = {"Package", "Version", "db:Status-Status", "db:Status-Abbrev", "Status"}


def _paragraphs(path):
    try:
        with open(path, encoding="utf-8") as status:
            text = status.read()
    except FileNotFoundError:
        return []
    found = []
    for block in text.split("\n\n"):
        fields = {}
        for line in block.splitlines():
            key, sep, value = line.partition(":")
            if sep and not line.startswith((" ", "\t")):
                fields[key] = value.strip()
        if fields.get("Package"):
            found.append(fields)
    return found


def _render(fmt, fields):
    fmt = fmt.replace("\\n", "\n").replace("\\t", "\t")
    words = fields.get("Status", "").split()
    status = words[2] if len(words) == 3 else ""

    def field(match):
        name = match.group(1)
        if name == "db:Status-Status":
            return status
        if name == "db:Status-Abbrev":
            return {"installed": "ii ", "config-files": "rc "}.get(status, "un ")
        return fields.get(name, "")

    return _FIELD.sub(field, fmt)


def main(argv):
    args = list(argv)
    fmt = "${Package}\t${Version}\n"
    if not args or args[0] not in ("-W", "--show"):
        sys.stderr.write("dpkg-query (stand-in): only -W/--show is modelled\n")
        return 2
    args.pop(0)
    if args[:1] in (["-f"], ["--showformat"]):
        if len(args) < 2:
            sys.stderr.write("dpkg-query: error: --showformat needs a value\n")
            return 2
        fmt = args[1]
        args = args[2:]
    if args[:1] == ["--"]:
        args.pop(0)
    if len(args) != 1 or args[0].startswith("-"):
        sys.stderr.write("dpkg-query (stand-in): exactly one package name is modelled\n")
        return 2
    for name in _FIELD.findall(fmt):
        if name not in _KNOWN:
            sys.stderr.write(f"dpkg-query (stand-in): field ${{{name}}} is not modelled\n")
            return 2
    root = find_root_or_report()
    if root is None:
        return 2
    for fields in _paragraphs(root.join("var", "lib", "dpkg", "status")):
        if fields["Package"] == args[0]:
            sys.stdout.write(_render(fmt, fields))
            return 0
    sys.stderr.write(f"dpkg-query: no packages found matching {args[0]}\n")
    return 1
