"""pct status, pct list, pct config: read-only views in Proxmox's output formats."""

import os

from . import conffile, ctconfig, formats, lxctools, pending, schema, volumes
from .errors import PveError

GIB = 1024**3
MIB = 1024**2


def _name(conf, vmid):
    return "".join((conf.get("hostname") or f"CT{vmid}").split())


def _uptime(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="utf-8") as up:
            boot_seconds = float(up.read().split()[0])
        return max(0, int(boot_seconds - int(fields[19]) / os.sysconf("SC_CLK_TCK")))
    except (OSError, IndexError, ValueError):
        return 0


def _memory_usage(root, vmid):
    for key in ("memory.current", "memory.usage_in_bytes"):
        value = lxctools.cgroup_value(root, vmid, key)
        if value and value.isdigit():
            return int(value)
    return 0


def status_fields(root, vmid, conf):
    running = lxctools.is_running(root, vmid)
    cpus = int(conf.get("cores") or os.cpu_count() or 1)
    if conf.get("cpulimit") and 0 < float(conf["cpulimit"]) < cpus:
        cpus = float(conf["cpulimit"])
    maxdisk = 4 * GIB
    try:
        size = volumes.parse("rootfs", conf["rootfs"]).get("size")
        if size is not None:
            maxdisk = formats.parse_size(size)
    except (KeyError, schema.PropStringError, formats.FormatError):
        pass  # a broken rootfs line was already warned about by the reader
    fields = {
        "cpus": cpus if isinstance(cpus, int) else f"{cpus:g}",
        "disk": 0, "diskread": 0, "diskwrite": 0, "maxdisk": maxdisk,
        "maxmem": int(conf.get("memory", 512)) * MIB,
        "maxswap": int(conf.get("swap", 512)) * MIB,
        "mem": 0, "name": _name(conf, vmid), "netin": 0, "netout": 0,
        "status": "running" if running else "stopped", "swap": 0, "type": "lxc",
        "uptime": 0, "vmid": vmid,
    }
    if conf.get("lock"):
        fields["lock"] = conf["lock"]
    if conf.get("tags"):
        fields["tags"] = conf["tags"]
    if running:
        pid = lxctools.init_pid(root, vmid)
        if pid:
            fields["pid"] = pid
            fields["uptime"] = _uptime(pid)
        fields["mem"] = _memory_usage(root, vmid)
    return fields


def status(root, params):
    vmid = params["vmid"]
    conf = ctconfig.load(root, vmid)
    fields = status_fields(root, vmid, conf)
    if params.get("verbose"):
        for key in sorted(fields):
            print(f"{key}: {fields[key]}")
    else:
        print(f"status: {fields['status']}")
    return 0


def list_cts(root, params):
    rows = []
    for name in os.listdir(root.conf_dir):
        stem, _, ext = name.partition(".")
        if ext != "conf" or not stem.isdigit():
            continue
        vmid = int(stem)
        conf = ctconfig.load(root, vmid)
        state = "running" if lxctools.is_running(root, vmid) else "stopped"
        rows.append((vmid, state, conf.get("lock", ""), _name(conf, vmid)))
    if not rows:
        return 0
    out = "%-10s %-10s %-12s %-20s\n" % ("VMID", "Status", "Lock", "Name")
    for row in sorted(rows):
        out += "%-10s %-10s %-12s %-20s\n" % row
    print(out, end="")
    return 0


def config(root, params):
    vmid = params["vmid"]
    conf = ctconfig.load(root, vmid)
    if params.get("snapshot"):
        snapshot = conf.get("snapshots", {}).get(params["snapshot"])
        if snapshot is None:
            raise PveError(f"snapshot '{params['snapshot']}' does not exist")
        conf = snapshot
    elif not params.get("current"):
        conf = pending.merged(conf)
    out = ""
    for key in sorted(k for k in conf if k not in ("digest", "lxc", "pending", "snapshots")):
        value = conf[key]
        if key == "description":
            value = conffile.encode_text(value)
        out += f"{key}: {value}\n"
    for key, value in conf.get("lxc", []):
        out += f"{key}: {value}\n"
    print(out, end="")
    return 0
