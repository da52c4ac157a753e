"""devN: pct passes the host's device node into the CT, and checks it when the option is set
(create and set, through PVE::LXC::Tools::get_device_mode_and_rdev): a path that does not exist
on the host is refused before anything uses it."""

import os

from . import ctschema, schema
from .errors import PveError


def _is_dev_key(key):
    return key.startswith("dev") and key[3:].isdigit()


def check(params):
    """Raise Proxmox's error for the first devN (in key order) whose node is missing."""
    for key in sorted((k for k in params if _is_dev_key(k)), key=lambda k: int(k[3:])):
        device = schema.parse_prop_string(str(params[key]), ctschema.DEV, key)
        path = device.get("path")
        if path is None:
            raise PveError(f"Path is not defined for passthrough device {key}")
        if not os.path.exists(path):  # perl's -e: follows symlinks
            raise PveError(f"Device {path} does not exist")
