"""netN values as Proxmox stores them: `type=veth` and an `hwaddr` are always added."""

import random

from . import ctschema, schema
from .errors import ParamError


def random_mac():
    # Proxmox's default prefix BC:24:11 (a locally administered range would also do).
    return "BC:24:11:" + ":".join(f"{random.randrange(256):02X}" for _ in range(3))


def normalize(key, value, old=None):
    net = schema.parse_prop_string(value, ctschema.NET, key)
    if str(net.get("host-managed", 0)) == "1" and net.get("ip6") == "auto":
        raise ParamError("Parameter verification failed.",
                         {key: "'host-managed' cannot be combined with 'ip6=auto'"})
    if not net.get("hwaddr"):
        previous = schema.parse_prop_string(old, ctschema.NET, key) if old else {}
        net["hwaddr"] = previous.get("hwaddr") or random_mac()
    net["type"] = "veth"
    return schema.print_prop_string(net, ctschema.NET)


def normalize_tags(value):
    """Split on `,; `, lowercase, sort, deduplicate, join with `;`."""
    tags = sorted({t.lower() for t in value.replace(",", " ").replace(";", " ").split()})
    return ";".join(tags)
