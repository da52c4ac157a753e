"""Reading and writing /etc/pve/lxc/<vmid>.conf (pve-container parse/write_pct_config).

A config is a dict of `key -> str` plus four special entries, as in PVE: `description` (from
the `#` lines), `env` (NUL-joined, from `lxc.environment.runtime` lines), `lxc` (a list of raw
`(key, value)` pairs in file order) and `pending` / `snapshots` (nested configs).
"""

import re

from . import ctschema, schema

_SECTION = re.compile(r"^\[([a-z][a-z0-9_\-]+)\]\s*$", re.I)
_RAW = re.compile(r"^(lxc\.[a-z0-9_\-\.]+)(:|\s*=)\s*(.*?)\s*$")
_KEY = re.compile(r"^([a-z][a-z_]*\d*):\s*(.+?)\s*$")
_SPECIAL = ("digest", "description", "pending", "snapshots", "snapname", "env", "lxc", "delete")
PENDING = "pve:pending"


def encode_text(text):
    """PVE::Tools::encode_text: UTF-8 bytes outside 0x20-0x39 and 0x3b-0x7e become %XX."""
    out = []
    for byte in text.encode("utf-8"):
        ok = 0x20 <= byte <= 0x39 or 0x3B <= byte <= 0x7E
        out.append(chr(byte) if ok else f"%{byte:02X}")
    return "".join(out)


def decode_text(text):
    """uri_unescape, then UTF-8 decode."""
    raw = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                 text.encode("utf-8"))
    return raw.decode("utf-8", errors="replace")


def parse(text, vmid, warn):
    """Parse a config file's text; problems go to warn(message) as PVE's non-strict load does."""
    conf = {}
    current = conf
    for line in text.split("\n"):
        if line.strip() == "":
            continue
        if line.strip() == f"[{PENDING}]":
            current = conf.setdefault("pending", {})
            continue
        section = _SECTION.match(line)
        if section:
            current = conf.setdefault("snapshots", {}).setdefault(section.group(1), {})
            continue
        if line.startswith("#"):
            current["description"] = current.get("description", "") + decode_text(line[1:]) + "\n"
            continue
        raw = _RAW.match(line)
        if raw:
            key, value = raw.group(1), raw.group(3)
            if key == "lxc.environment.runtime":
                current["env"] = current["env"] + "\0" + value if "env" in current else value
            elif ctschema.raw_key_allowed(key):
                if key.startswith(ctschema.CGROUP_V1_PREFIX):
                    warn(ctschema.cgroup_v1_warning(vmid, key))
                current.setdefault("lxc", []).append((key, value))
            else:
                warn(f"vm {vmid} - unable to parse config: {line}")
            continue
        plain = _KEY.match(line)
        if not plain:
            warn(f"vm {vmid} - unable to parse config: {line}")
            continue
        key, value = plain.group(1), plain.group(2)
        if key == "delete":
            if current is conf.get("pending"):
                current["delete"] = value
            else:
                warn(f"vm {vmid} - unable to parse config: {line}")
            continue
        prop = ctschema.CONFDESC.get(key)
        if prop is None:
            warn(f"vm {vmid} - unable to parse value of '{key}' - unknown setting '{key}'")
        else:
            problem = schema.check_file_value(value, prop)
            if problem:
                warn(f"vm {vmid} - unable to parse value of '{key}' - {problem}")
        current[key] = value
    return conf


class ConfigWriteError(Exception):
    pass


def _section(conf):
    out = ""
    description = conf.get("description", "")
    # perl's split drops trailing empty fields
    lines = description.split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    out += "".join("#" + encode_text(line) + "\n" for line in lines)
    keys = sorted(k for k in conf if k not in _SPECIAL or k == "delete")
    for key in keys:
        value = str(conf[key])
        if "\n" in value:
            raise ConfigWriteError(f"detected invalid newline inside property '{key}'")
        out += f"{key}: {value}\n"
    if conf.get("env"):
        out += "".join(f"lxc.environment.runtime: {item}\n" for item in conf["env"].split("\0"))
    for key, value in conf.get("lxc", []):
        out += f"{key}: {value}\n"
    return out


def write(conf):
    """The file text for conf, in write_pct_config's order."""
    main = {k: v for k, v in conf.items() if k != "delete"}
    out = _section(main)
    if conf.get("pending"):
        out += f"\n[{PENDING}]\n" + _section(conf["pending"])
    for name in sorted(conf.get("snapshots", {})):
        out += f"\n[{name}]\n" + _section(conf["snapshots"][name])
    return out
