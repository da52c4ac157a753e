"""The container option schema: pve-container Config.pm `$confdesc` (reference §4-§6)."""

from .schema import Prop, PropString

BOOL = Prop(type="boolean")
OSTYPES = ("debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine",
           "gentoo", "nixos", "unmanaged")
ARCHES = ("amd64", "i386", "arm64", "armhf", "riscv32", "riscv64")
LOCKS = ("backup", "create", "destroyed", "disk", "fstrim", "migrate", "mounted", "rollback",
         "snapshot", "snapshot-delete")
_MOUNT_OPTION = r"(?:discard|lazytime|noatime|nodev|noexec|nosuid)"
MOUNT_OPTIONS = _MOUNT_OPTION + r"(?:;" + _MOUNT_OPTION + r")*"
IDMAP = r"passthrough|[ug]:[0-9]+:[0-9]+:[1-9][0-9]*(?:;[ug]:[0-9]+:[0-9]+:[1-9][0-9]*)*"
# Everything but C0 controls other than tab, and DEL (pve-container 6.1.8+).
ENTRYPOINT = r"[^\x00-\x08\x0a-\x1F\x7F]+"
ENV = r"(?:\w+=[^\x00-\x08\x0a-\x1F\x7F]*)(?:\x00\w+=[^\x00-\x08\x0a-\x1F\x7F]*)*"
NAME = r"[-_.\w\d]+"

MAX_NET, MAX_MP, MAX_DEV, MAX_UNUSED = 32, 256, 256, 256

_DISK_COMMON = {
    "volume": Prop(format="pve-lxc-mp-string"),
    "ro": BOOL,
    "acl": BOOL,
    "quota": BOOL,
    "replicate": BOOL,
    "shared": BOOL,
    "mountoptions": Prop(pattern=MOUNT_OPTIONS),
    "idmap": Prop(pattern=IDMAP),
    "size": Prop(format="disk-size"),
}
ROOTFS = PropString(dict(_DISK_COMMON), default_key="volume", required=("volume",))
MP = PropString(dict(_DISK_COMMON, mp=Prop(format="pve-lxc-mp-string"), backup=BOOL,
                     keepattrs=BOOL), default_key="volume", required=("volume", "mp"))
NET = PropString({
    "name": Prop(pattern=NAME),
    "bridge": Prop(pattern=NAME),
    "hwaddr": Prop(format="mac-addr"),
    "ip": Prop(format="pve-ipv4-config"),
    "gw": Prop(format="ipv4"),
    "ip6": Prop(format="pve-ipv6-config"),
    "gw6": Prop(format="ipv6"),
    "firewall": BOOL,
    "tag": Prop(type="integer", minimum=1, maximum=4094),
    "trunks": Prop(pattern=r"\d+(?:;\d+)*"),
    "rate": Prop(type="number", minimum=0),
    "mtu": Prop(type="integer", minimum=64, maximum=65535),
    "link_down": BOOL,
    "host-managed": BOOL,
    "type": Prop(enum=("veth",)),
}, required=("name",))
DEV = PropString({
    "path": Prop(format="pve-lxc-dev-string"),
    "mode": Prop(pattern=r"0[0-7]{3}"),
    "uid": Prop(type="integer", minimum=0),
    "gid": Prop(type="integer", minimum=0),
    "deny-write": BOOL,
}, default_key="path")
FEATURES = PropString({
    "nesting": BOOL,
    "keyctl": BOOL,
    "fuse": BOOL,
    "mknod": BOOL,
    "force_rw_sys": BOOL,
    "mount": Prop(pattern=r"[a-zA-Z0-9_; ]+"),
})

CONFDESC = {
    "arch": Prop(enum=ARCHES, default="amd64"),
    "cmode": Prop(enum=("shell", "console", "tty")),
    "console": BOOL,
    "cores": Prop(type="integer", minimum=1, maximum=8192),
    "cpulimit": Prop(type="number", minimum=0, maximum=8192),
    "cpuunits": Prop(type="integer", minimum=0, maximum=500000),
    "debug": BOOL,
    "description": Prop(max_length=8192),
    "entrypoint": Prop(pattern=ENTRYPOINT),
    "env": Prop(pattern=ENV),
    "features": Prop(format=FEATURES),
    "hookscript": Prop(format="pve-volume-id"),
    "hostname": Prop(format="dns-name", max_length=255),
    "lock": Prop(enum=LOCKS),
    "memory": Prop(type="integer", minimum=16, default=512),
    "nameserver": Prop(format="lxc-ip-with-ll-iface-list", list_format=True),
    "onboot": BOOL,
    "ostype": Prop(enum=OSTYPES),
    "protection": BOOL,
    "rootfs": Prop(format=ROOTFS),
    "searchdomain": Prop(format="dns-name-list", list_format=True),
    "startup": Prop(format="pve-startup-order"),
    "swap": Prop(type="integer", minimum=0, default=512),
    "tags": Prop(format="pve-tag-list", list_format=True),
    "template": BOOL,
    "timezone": Prop(format="pve-ct-timezone"),
    "tty": Prop(type="integer", minimum=0, maximum=6),
    "unprivileged": BOOL,
}
for _i in range(MAX_NET):
    CONFDESC[f"net{_i}"] = Prop(format=NET)
for _i in range(MAX_MP):
    CONFDESC[f"mp{_i}"] = Prop(format=MP)
for _i in range(MAX_DEV):
    CONFDESC[f"dev{_i}"] = Prop(format=DEV)
for _i in range(MAX_UNUSED):
    CONFDESC[f"unused{_i}"] = Prop(format="pve-volume-id")

VMID = Prop(type="integer", format="pve-vmid", minimum=100, maximum=999999999, optional=False)

# The raw keys the config reader keeps (pve-container `$valid_lxc_conf_keys`, abridged to
# what the reference names) and the prefixes it accepts wholesale.
RAW_KEYS = {
    "lxc.apparmor.profile", "lxc.apparmor.allow_incomplete", "lxc.apparmor.allow_nesting",
    "lxc.apparmor.raw", "lxc.selinux.context", "lxc.include", "lxc.arch", "lxc.uts.name",
    "lxc.signal.halt", "lxc.signal.reboot", "lxc.signal.stop", "lxc.init.cmd", "lxc.init.cwd",
    "lxc.init.uid", "lxc.init.gid", "lxc.init.groups", "lxc.cap.drop", "lxc.cap.keep",
    "lxc.seccomp.profile", "lxc.seccomp.notify.proxy", "lxc.seccomp.notify.cookie",
    "lxc.mount.entry", "lxc.mount.auto", "lxc.mount.fstab", "lxc.rootfs.mount",
    "lxc.rootfs.options", "lxc.idmap", "lxc.console.logfile", "lxc.console.path",
    "lxc.console.buffer.size", "lxc.console.size", "lxc.environment", "lxc.environment.runtime",
    "lxc.environment.hooks", "lxc.autodev", "lxc.autodev.tmpfs.size", "lxc.tty.max",
    "lxc.tty.dir", "lxc.pty.max", "lxc.log.level", "lxc.log.file", "lxc.log.syslog",
    "lxc.start.auto", "lxc.start.delay", "lxc.start.order", "lxc.group", "lxc.monitor.unshare",
    "lxc.ephemeral", "lxc.hook.version", "lxc.sched.core",
}
RAW_PREFIXES = ("lxc.cgroup2.", "lxc.cgroup.", "lxc.prlimit.", "lxc.net.", "lxc.hook.",
                "lxc.sysctl.kernel.")


# cgroup v1 keys are kept, with a warning: Proxmox 7+ runs on the unified cgroup v2 hierarchy,
# where LXC ignores them. The wording of pve-container's own warning could not be found in the
# sources available when this was written (the versions read accept them silently); this one
# follows its other deprecation warnings ("vm N - <key>: ...", as for lxc.limit.*) and
# pve8to9's wording for such keys.
CGROUP_V1_PREFIX = "lxc.cgroup."


def cgroup_v1_warning(vmid, key):
    return (f"vm {vmid} - {key}: lxc.cgroup.* keys are deprecated and ignored on the unified "
            "cgroup v2 hierarchy, use lxc.cgroup2.*")


def raw_key_allowed(key):
    return key in RAW_KEYS or key.startswith(RAW_PREFIXES)


def is_mountpoint_key(key):
    return key == "rootfs" or (key.startswith("mp") and key[2:].isdigit())
