"""Translating a PVE container config into an LXC config, as pve-container's
update_lxc_config and its pre-start hook do, with the simplifications listed in ../README.md.
"""

import os
import stat

from . import cgroups, ctschema, entrypoint, schema, storage
from .errors import PveError

LXC_CONFIG_DIR = "/usr/share/lxc/config"
DEFAULT_IDMAP = ["u 0 100000 65536", "g 0 100000 65536"]
MIB = 1024 * 1024


def _include(ostype, kind):
    name = f"{ostype}.{kind}.conf" if ostype and ostype != "unmanaged" else f"{kind}.conf"
    path = os.path.join(LXC_CONFIG_DIR, name)
    return path if os.path.exists(path) else os.path.join(LXC_CONFIG_DIR, f"{kind}.conf")


def _raw(conf, key):
    return [v for k, v in conf.get("lxc", []) if k == key]


def _memory_lines(conf):
    memory = int(conf.get("memory", 512)) * MIB
    swap = int(conf.get("swap", 512)) * MIB
    if cgroups.controller_version("memory") == 2:
        return [f"lxc.cgroup2.memory.max = {memory}",
                f"lxc.cgroup2.memory.high = {memory - (memory >> 7)}",
                f"lxc.cgroup2.memory.swap.max = {swap}"]
    lines = [f"lxc.cgroup.memory.limit_in_bytes = {memory}"]
    if cgroups.v1_has("memory", "memory.memsw.limit_in_bytes"):
        lines.append(f"lxc.cgroup.memory.memsw.limit_in_bytes = {memory + swap}")
    return lines


def _cpu_lines(conf):
    lines, v2 = [], cgroups.controller_version("cpu") == 2
    if conf.get("cpulimit") and float(conf["cpulimit"]) > 0:
        quota = int(100000 * float(conf["cpulimit"]))
        lines += ([f"lxc.cgroup2.cpu.max = {quota} 100000"] if v2 else
                  ["lxc.cgroup.cpu.cfs_period_us = 100000",
                   f"lxc.cgroup.cpu.cfs_quota_us = {quota}"])
    if conf.get("cpuunits"):
        units = int(conf["cpuunits"])
        lines.append(f"lxc.cgroup2.cpu.weight = {min(units, 10000)}" if v2 else
                     f"lxc.cgroup.cpu.shares = {units}")
    raw_cpuset = any(k.endswith("cpuset.cpus") for k, _ in conf.get("lxc", []))
    if conf.get("cores") and not raw_cpuset:
        # Proxmox picks a balanced random subset; the stand-in takes the first N host CPUs.
        cpus = sorted(os.sched_getaffinity(0))[: int(conf["cores"])]
        key = "lxc.cgroup2.cpuset.cpus" if cgroups.controller_version("cpuset") == 2 \
            else "lxc.cgroup.cpuset.cpus"
        lines.append(f"{key} = {','.join(str(c) for c in cpus)}")
    return lines


def _net_lines(conf):
    lines = []
    for index in range(ctschema.MAX_NET):
        value = conf.get(f"net{index}")
        if value is None:
            continue
        net = schema.parse_prop_string(value, ctschema.NET, f"net{index}")
        prefix = f"lxc.net.{index}"
        lines += [f"{prefix}.type = veth", f"{prefix}.name = {net['name']}"]
        if net.get("hwaddr"):
            lines.append(f"{prefix}.hwaddr = {net['hwaddr']}")
        if net.get("mtu"):
            lines.append(f"{prefix}.mtu = {net['mtu']}")
        if str(net.get("link_down", 0)) != "1":
            lines.append(f"{prefix}.flags = up")
        bridge = net.get("bridge")
        # Proxmox fails the start without the bridge; test hosts have none, so the host side
        # of the veth pair simply stays unattached.
        if bridge and os.path.isdir(f"/sys/class/net/{bridge}/bridge"):
            lines.append(f"{prefix}.link = {bridge}")
    return lines


def volume_path(root, volume):
    """Host path of a rootfs/mp volume: a storage volume, a bind directory or a device."""
    if volume.startswith("/"):
        return volume
    return storage.path(root, volume)


def _mount_lines(root, conf, staged):
    mounts = []
    for index in range(ctschema.MAX_MP):
        value = conf.get(f"mp{index}")
        if value is None:
            continue
        mp = schema.parse_prop_string(value, ctschema.MP, f"mp{index}")
        source = volume_path(root, mp["volume"])
        is_device = mp["volume"].startswith("/dev/")
        if not is_device and not os.path.isdir(source):
            raise PveError(f"directory '{source}' does not exist")
        options = ["rbind", "create=file" if is_device else "create=dir"]
        if str(mp.get("ro", 0)) == "1":
            options.append("ro")
        if mp.get("mountoptions"):
            options += mp["mountoptions"].split(";")
        # A source staged by host root (mountpoints.py) is bound from where it was staged.
        source = staged.get(index, source)
        mounts.append((mp["mp"], f"lxc.mount.entry = {source} {mp['mp'].lstrip('/')} none "
                                 f"{','.join(options)} 0 0"))
    # Proxmox mounts parents before children: sorted by mount path.
    return [line for _, line in sorted(mounts)]


def _device_lines(conf):
    lines = []
    for index in range(ctschema.MAX_DEV):
        value = conf.get(f"dev{index}")
        if value is None:
            continue
        dev = schema.parse_prop_string(value, ctschema.DEV, f"dev{index}")
        path = dev.get("path")
        if not path:
            raise PveError(f"Path is not defined for passthrough device dev{index}")
        if not os.path.exists(path):
            raise PveError(f"Device {path} does not exist")
        lines.append(f"lxc.mount.entry = {path} {path.lstrip('/')} none bind,create=file 0 0")
        info = os.stat(path)
        kind = "c" if stat.S_ISCHR(info.st_mode) else "b"
        access = "rm" if str(dev.get("deny-write", 0)) == "1" else "rwm"
        key = "lxc.cgroup2.devices.allow" if cgroups.controller_version("devices") == 2 \
            else "lxc.cgroup.devices.allow"
        lines.append(f"{key} = {kind} {os.major(info.st_rdev)}:{os.minor(info.st_rdev)} {access}")
    return lines


def init_argv(conf):
    """The init's argv: the entrypoint, else a raw lxc.init.cmd, else LXC's default (None)."""
    command = conf.get("entrypoint")
    if command is None:
        raw = _raw(conf, "lxc.init.cmd")
        command = raw[-1] if raw else None
    return entrypoint.split(command) if command else None


def generate(root, vmid, conf, staged=None):
    """The text of <lxcpath>/<vmid>/config for conf (pending changes already applied);
    staged: {N: path} for mount points mpN that host root has bind-mounted at path."""
    unprivileged = str(conf.get("unprivileged", 0)) == "1"
    ostype = conf.get("ostype")
    rootfs = schema.parse_prop_string(conf["rootfs"], ctschema.ROOTFS, "rootfs")
    lines = [f"# generated by the pve stand-in from {root.conf_path(vmid)}; rewritten at start",
             f"lxc.arch = {conf.get('arch', 'amd64')}",
             f"lxc.include = {_include(ostype, 'common')}"]
    if unprivileged:
        lines.append(f"lxc.include = {_include(ostype, 'userns')}")
    # Proxmox generates an AppArmor profile; the stand-in runs without AppArmor.
    lines += ["lxc.apparmor.profile = unconfined", "lxc.monitor.unshare = 1",
              f"lxc.tty.max = {conf.get('tty', 2)}", "lxc.environment = TERM=linux",
              f"lxc.uts.name = {conf.get('hostname') or f'CT{vmid}'}"]
    lines += _memory_lines(conf) + _cpu_lines(conf)
    if unprivileged and not _raw(conf, "lxc.idmap"):
        lines += [f"lxc.idmap = {m}" for m in DEFAULT_IDMAP]
    lines.append(f"lxc.rootfs.path = dir:{volume_path(root, rootfs['volume'])}")
    if str(rootfs.get("ro", 0)) == "1":
        lines.append("lxc.rootfs.options = ro")
    lines += _net_lines(conf) + _mount_lines(root, conf, staged or {}) + _device_lines(conf)
    if conf.get("entrypoint"):
        # pve-container 6.1.10 gives application containers a /dev/shm.
        lines.append("lxc.mount.entry = tmpfs dev/shm tmpfs rw,nosuid,nodev,create=dir 0 0")
    # Debian's LXC 5 has no lxc.environment.runtime; plain lxc.environment reaches the init.
    for item in conf.get("env", "").split("\0") if conf.get("env") else []:
        lines.append(f"lxc.environment = {item}")
    for key, value in conf.get("lxc", []):
        if key != "lxc.environment.runtime":
            lines.append(f"{key} = {value}")
        if key.startswith("lxc.cgroup2."):
            lines += [f"{k} = {v}" for k, v in cgroups.v1_equivalents(key, value)]
    return "\n".join(lines) + "\n"
