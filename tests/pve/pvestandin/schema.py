"""Parameter validation as PVE::JSONSchema::check_prop does it.

Per parameter, in this order: type, format, pattern (anchored), maxLength, minLength,
minimum/maximum, enum; the first failure is that parameter's error. Property strings
(a `dict` format) are parsed and their keys checked the same way, with errors named `key.sub`.
"""

import re
from dataclasses import dataclass, field

from . import formats

CLI_TYPES = {
    "integer": re.compile(r"^[+-]?\d+$"),
    "number": re.compile(r"^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$"),
}
# The config file reader (PVE::LXC::Config::check_type) is stricter than the API.
FILE_TYPES = {
    "integer": re.compile(r"^\d+$"),
    "number": re.compile(r"^\d+(\.\d+)?$"),
    "boolean": re.compile(r"^(1|0|on|off|yes|no|true|false)$", re.I),
}
_TRUE = re.compile(r"^(1|on|yes|true)$", re.I)
_FALSE = re.compile(r"^(0|off|no|false)$", re.I)


@dataclass
class Prop:
    type: str = "string"
    format: object = None  # a format name, or a PropString for property strings
    pattern: str = None
    max_length: int = None
    min_length: int = None
    minimum: float = None
    maximum: float = None
    enum: tuple = None
    optional: bool = True
    default: object = None
    list_format: bool = False  # `-list` formats are repeatable on the CLI


@dataclass
class PropString:
    """A comma-separated `k=v` list; default_key names the value of a part without `=`."""

    props: dict
    default_key: str = None
    required: tuple = field(default_factory=tuple)


def _add(errors, path, message):
    errors[path] = message.rstrip("\n")


def check_type(value, prop, path, errors):
    kind = prop.type
    if kind == "boolean":
        if value in (0, 1, "0", "1"):
            return True
        _add(errors, path, f"type check ('boolean') failed - got '{value}'")
        return False
    pattern = CLI_TYPES.get(kind)
    if pattern and not pattern.match(str(value)):
        _add(errors, path, f"type check ('{kind}') failed - got '{value}'")
        return False
    return True


def _numeric(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _limit(number):
    # Perl prints 16 for 16, 0.5 for 0.5.
    return str(int(number)) if float(number).is_integer() else str(number)


def check_prop(value, prop, path, errors):
    """Check one value; record PVE's message under errors[path] on failure."""
    if value is None:
        if not prop.optional:
            _add(errors, path, "property is missing and it is not optional")
        return
    if not check_type(value, prop, path, errors):
        return
    value = str(value)
    if isinstance(prop.format, PropString):
        try:
            parse_prop_string(value, prop.format, path)
        except PropStringError as err:
            _add(errors, path, "invalid format - " + err.render())
            return
    elif prop.format:
        try:
            formats.check_format(prop.format, value)
        except formats.FormatError as err:
            _add(errors, path, f"invalid format - {err}")
            return
    if prop.pattern is not None and not re.match(r"^(?:" + prop.pattern + r")$", value):
        _add(errors, path, "value does not match the regex pattern")
        return
    if prop.max_length is not None and len(value) > prop.max_length:
        _add(errors, path, f"value may only be {prop.max_length} characters long")
        return
    if prop.min_length is not None and len(value) < prop.min_length:
        _add(errors, path, f"value must be at least {prop.min_length} characters long")
        return
    number = _numeric(value) if CLI_TYPES["number"].match(value) else None
    if number is not None:
        if prop.maximum is not None and number > prop.maximum:
            _add(errors, path, f"value must have a maximum value of {_limit(prop.maximum)}")
            return
        if prop.minimum is not None and number < prop.minimum:
            _add(errors, path, f"value must have a minimum value of {_limit(prop.minimum)}")
            return
    if prop.enum is not None and value not in prop.enum:
        _add(errors, path, f"value '{value}' does not have a value in the enumeration "
             f"'{', '.join(prop.enum)}'")


class PropStringError(Exception):
    """A property string that failed: a message plus per-key errors (`net0.name: ...`)."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def render(self):
        lines = [self.message] + [f"{k}: {v}" for k, v in sorted(self.errors.items())]
        return "\n".join(lines)


_KEY_VALUE = re.compile(r"^([^=]+)=(.+)$", re.S)


def parse_prop_string(value, schema, path):
    """Parse `a,k=v,...` as pve-common's parse_property_string: no escaping of `,` at all."""
    result = {}
    for part in value.split(","):
        if part.strip() == "":
            continue
        match = _KEY_VALUE.match(part)
        if match:
            key, item = match.group(1), match.group(2)
            if key in result:
                raise PropStringError(f"duplicate key in comma-separated list property: {key}")
        elif "=" in part:
            raise PropStringError("missing key in comma-separated list property")
        elif schema.default_key:
            key, item = schema.default_key, part
            if key in result:
                raise PropStringError(f"duplicate key in comma-separated list property: {key}")
        else:
            raise PropStringError("value without key, but schema does not define a default key")
        prop = schema.props.get(key)
        if prop is not None and prop.type == "boolean":
            item = 1 if _TRUE.match(item) else 0 if _FALSE.match(item) else item
        result[key] = item
    errors = {}
    for key, prop in schema.props.items():
        check_prop(result.get(key), _required(prop, key in schema.required), _sub(path, key),
                   errors)
    # check_object with additional properties forbidden (pve-common 9 no longer dies on an
    # unknown key while splitting): each unknown key is one more error of the format error.
    for key in result:
        if key not in schema.props:
            _add(errors, _sub(path, key), "property is not defined in schema and the schema "
                 "does not allow additional properties")
    if errors:
        raise PropStringError("format error", errors)
    return result


def _sub(path, key):
    return f"{path}.{key}" if path else key


def _required(prop, required):
    if not required:
        return prop
    copy = Prop(**prop.__dict__)
    copy.optional = False
    return copy


def print_prop_string(data, schema):
    """Default key first without `key=`, then required keys sorted, then the rest sorted."""
    parts, done = [], set()
    if schema.default_key and schema.default_key in data:
        parts.append(str(data[schema.default_key]))
        done.add(schema.default_key)
    for key in sorted(k for k in schema.required if k not in done):
        if key in data:
            parts.append(f"{key}={data[key]}")
            done.add(key)
    for key in sorted(k for k in data if k not in done):
        parts.append(f"{key}={data[key]}")
    for part in parts:
        if "," in part.split("=", 1)[-1]:
            raise ValueError(f"illegal value with commas for {part.split('=', 1)[0]}")
    return ",".join(parts)


def check_file_value(value, prop):
    """What the config reader checks (PVE::LXC::Config::check_type): the file's stricter type
    patterns, and a string's format. Ranges, patterns, lengths and enums are checked only by
    create and set, so a `memory: 8` line is kept without a warning. Returns the message or None.
    """
    if "\n" in value or "\r" in value:
        return "property contains a line feed"
    pattern = FILE_TYPES.get(prop.type)
    if pattern:
        return None if pattern.match(value) else \
            f"type check ('{prop.type}') failed - got '{value}'"
    if isinstance(prop.format, PropString):
        try:
            parse_prop_string(value, prop.format, None)
        except PropStringError as err:
            # PVE::Exception stringified: the message, then one `key: error` line per error.
            return err.render()
    elif prop.format:
        try:
            formats.check_format(prop.format, value)
        except formats.FormatError as err:
            return str(err)
    return None
