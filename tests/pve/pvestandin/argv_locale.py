"""How pct decodes its command line: PVE::JSONSchema::get_options runs `decode('locale', $v)`
(Encode::Locale) on every option and argument. The locale is the caller's LC_ALL, else LC_CTYPE,
else LANG; one the host does not have falls back to "C", as perl's setlocale does. Under "C"
the encoding is ASCII and every byte above 0x7f becomes U+FFFD ("café" -> "caf\ufffd\ufffd",
checked with perl 5.36 on Debian 12); under a UTF-8 locale only invalid sequences do.
"""

import locale
import os


def _exec_environment():
    """The environment the caller gave. Python coerces a "C" locale to C.UTF-8 and exports
    LC_CTYPE (PEP 538), so os.environ no longer shows it; /proc/self/environ still does."""
    try:
        with open("/proc/self/environ", "rb") as source:
            raw = source.read()
    except OSError:
        return dict(os.environ)
    env = {}
    for item in raw.split(b"\0"):
        key, sep, value = item.partition(b"=")
        if sep:
            # getenv(3) returns the first of duplicated names.
            env.setdefault(key.decode("latin-1"), value.decode("latin-1"))
    return env


def locale_name(env):
    for key in ("LC_ALL", "LC_CTYPE", "LANG"):
        if env.get(key):
            return env[key]
    return "C"


def is_utf8_locale(name):
    """True when setlocale(LC_CTYPE, name) works here and its codeset is UTF-8."""
    if name in ("C", "POSIX"):
        return False
    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, name)
        codeset = locale.nl_langinfo(locale.CODESET)
    except locale.Error:
        return False  # not installed: perl warns and stays in "C"
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)
    return codeset.replace("-", "").upper() == "UTF8"


def decoder(env=None):
    """A function str -> str that turns one argv element into what pct sees."""
    utf8 = is_utf8_locale(locale_name(_exec_environment() if env is None else env))

    def decode(arg):
        raw = os.fsencode(arg)  # the bytes the caller passed (argv is surrogate-escaped)
        if utf8:
            return raw.decode("utf-8", errors="replace")
        return "".join(chr(b) if b < 0x80 else "\ufffd" for b in raw)

    return decode


def decode_params(values, env=None):
    """Every string (and list of strings) in a params dict, decoded as pct decodes it."""
    decode = decoder(env)
    return {key: [decode(v) for v in value] if isinstance(value, list)
            else decode(value) if isinstance(value, str) else value
            for key, value in values.items()}
