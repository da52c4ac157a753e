"""The ways a pct/pvesh command fails, rendered as PVE renders them.

PVE dies with a message on stderr and perl's exit 255; parameter errors are PVE::Exception
objects with code 400, a per-parameter error hash and the verb's short usage appended.
"""

EXIT_FAILURE = 255


class PveError(Exception):
    """A plain `die`: the message alone on stderr, exit 255."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def render(self):
        return self.message if self.message.endswith("\n") else self.message + "\n"


class ParamError(PveError):
    """A 400 PVE::Exception: `400 <msg>`, `key: error` lines (sorted), then the short usage."""

    def __init__(self, message, errors=None, warnings=()):
        super().__init__(message)
        self.errors = dict(errors or {})
        # Getopt::Long's own complaints, printed before the exception.
        self.warnings = list(warnings)
        self.usage = None

    def render(self):
        out = "".join(w + "\n" for w in self.warnings)
        out += "400 " + self.message + "\n"
        for key in sorted(self.errors):
            out += f"{key}: {self.errors[key]}\n"
        if self.usage:
            out += self.usage + "\n"
        return out


def param_error(key, message):
    """The usual `400 Parameter verification failed.` with one parameter's error."""
    return ParamError("Parameter verification failed.", {key: message})


class UnknownCommand(PveError):
    """`ERROR: unknown command 'pct x'`, followed by the command list (added by the CLI)."""
