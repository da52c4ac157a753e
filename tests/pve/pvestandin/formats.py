"""Named formats of PVE's JSONSchema (pve-common JSONSchema.pm, pve-container Config.pm).

Each verifier raises FormatError with PVE's message; check_prop turns it into
`invalid format - <message>`. Formats ending in `-list` check every item of split_list.
"""

import ipaddress
import re


class FormatError(Exception):
    pass


def _anchored(pattern, flags=0):
    return re.compile(r"^(?:" + pattern + r")$", flags)


_VMID = _anchored(r"[1-9][0-9]{2,8}")
_DNS_LABEL = r"[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?"
_DNS_NAME = _anchored(r"(" + _DNS_LABEL + r"\.)*" + _DNS_LABEL)
_STORAGE_ID = _anchored(r"[a-z][a-z0-9\-_.]*[a-z0-9]", re.I)
VOLUME_ID = re.compile(r"^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$", re.I | re.S)
_CONFIG_ID = _anchored(r"[a-z][a-z0-9_-]+", re.I)
_TAG = _anchored(r"[a-z0-9_][a-z0-9_\-+.]*", re.I)
_MAC = re.compile(r"^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$", re.I)
_IPV4_OCTET = r"(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])"
_IPV4 = _anchored(r"(?:" + _IPV4_OCTET + r"\.){3}" + _IPV4_OCTET)
_LL_IFACE = re.compile(r"^[a-z][a-z0-9_]{1,20}([:.]\d+)?$", re.I)
_DISK_SIZE = re.compile(r"^(\d+(\.\d+)?)([KMGT](?:iB)?)?$")
_STARTUP_PART = re.compile(r"^(?:(?:order=)?\d+|up=\d+|down=\d+)$")
_MP_ILLEGAL = (re.compile(r"/\.\.?/"), re.compile(r"/\.\.?$"), re.compile(r"^\.\./"))
_DEV_ILLEGAL = re.compile(r"/\.\.?(/|$)")
ZONE_TAB = "/usr/share/zoneinfo/zone.tab"


def split_list(value):
    """PVE's split_list: NUL-separated if it holds a NUL, else on `,`, `;` and whitespace."""
    if "\0" in value:
        return [v for v in value.split("\0") if v != ""]
    return value.replace(",", " ").replace(";", " ").split()


def verify_vmid(value):
    if not _VMID.match(value):
        raise FormatError("value does not look like a valid VM ID")


def verify_dns_name(value):
    if not _DNS_NAME.match(value):
        raise FormatError("value does not look like a valid DNS name")


def verify_storage_id(value):
    if len(value) < 2:
        raise FormatError(f"storage ID '{value}' cannot be shorter than 2 characters")
    if not _STORAGE_ID.match(value):
        raise FormatError(f"storage ID '{value}' contains illegal characters")


def verify_volume_id(value):
    if not VOLUME_ID.match(value):
        raise FormatError(f"unable to parse volume ID '{value}'")


def verify_config_id(value):
    if not _CONFIG_ID.match(value):
        raise FormatError(f"invalid configuration ID '{value}'")


def verify_tag(value):
    if not _TAG.match(value):
        raise FormatError("invalid characters in tag")


def verify_mac(value):
    if not _MAC.match(value):
        raise FormatError("value does not look like a valid unicast MAC address")


def verify_ipv4(value):
    if not _IPV4.match(value):
        raise FormatError("value does not look like a valid IPv4 address")


def _is_ipv6(value):
    # Python accepts a `%scope` suffix; PVE's ipv6 format does not (see lxc-ip-with-ll-iface).
    if "%" in value:
        return False
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def verify_ipv6(value):
    if not _is_ipv6(value):
        raise FormatError("value does not look like a valid IPv6 address")


def _cidr(value, check, low, high):
    addr, sep, prefix = value.partition("/")
    if not sep or not prefix.isdigit() or not check(addr):
        return False
    return low <= int(prefix) <= high


def verify_ipv4_config(value):
    if value in ("dhcp", "manual"):
        return
    if not _cidr(value, lambda a: bool(_IPV4.match(a)), 8, 32):
        raise FormatError("value does not look like a valid ipv4 network configuration")


def verify_ipv6_config(value):
    if value in ("auto", "dhcp", "manual"):
        return
    if not _cidr(value, _is_ipv6, 8, 128):
        raise FormatError("value does not look like a valid ipv6 network configuration")


def verify_ip_with_ll_iface(value):
    addr, sep, iface = value.partition("%")
    if sep and addr.lower().startswith("fe80:") and _LL_IFACE.match(iface) and _is_ipv6(addr):
        return
    if _IPV4.match(value) or _is_ipv6(value):
        return
    raise FormatError(f"value does not look like a valid IP address: {value}")


def verify_disk_size(value):
    if not _DISK_SIZE.match(value):
        raise FormatError(f"value '{value}' is not a valid disk size")


def verify_startup(value):
    for part in value.split(","):
        if not _STARTUP_PART.match(part):
            raise FormatError("unable to parse startup options")


def verify_timezone(value):
    if value in ("host", "UTC"):
        return
    try:
        with open(ZONE_TAB, encoding="utf-8") as tab:
            for line in tab:
                if line.startswith("#"):
                    continue
                columns = line.rstrip("\n").split("\t")
                if len(columns) > 2 and columns[2] == value:
                    return
    except OSError:
        pass
    raise FormatError(f"invalid time zone '{value}'")


def verify_mp_string(value):
    if any(p.search(value) for p in _MP_ILLEGAL):
        raise FormatError(f"{value} contains illegal character sequences")


def verify_dev_string(value):
    if _DEV_ILLEGAL.search(value) or not value.startswith("/dev/"):
        raise FormatError(f"{value} is not a valid device path")


VERIFIERS = {
    "pve-vmid": verify_vmid,
    "dns-name": verify_dns_name,
    "pve-storage-id": verify_storage_id,
    "pve-volume-id": verify_volume_id,
    "pve-configid": verify_config_id,
    "pve-tag": verify_tag,
    "mac-addr": verify_mac,
    "ipv4": verify_ipv4,
    "ipv6": verify_ipv6,
    "pve-ipv4-config": verify_ipv4_config,
    "pve-ipv6-config": verify_ipv6_config,
    "lxc-ip-with-ll-iface": verify_ip_with_ll_iface,
    "disk-size": verify_disk_size,
    "pve-startup-order": verify_startup,
    "pve-ct-timezone": verify_timezone,
    "pve-lxc-mp-string": verify_mp_string,
    "pve-lxc-dev-string": verify_dev_string,
}


def check_format(name, value):
    """Raise FormatError if value does not satisfy the named format."""
    if name.endswith("-list"):
        verifier = VERIFIERS[name[: -len("-list")]]
        for item in split_list(value):
            verifier(item)
        return
    VERIFIERS[name](value)


def parse_size(value):
    """Bytes of a disk-size string (`8G`, `512MiB`, `1024`)."""
    match = _DISK_SIZE.match(value)
    if not match:
        raise FormatError(f"value '{value}' is not a valid disk size")
    number = float(match.group(1))
    unit = (match.group(3) or "")[:1]
    factor = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}[unit]
    return int(number * factor)


def format_size(size):
    """PVE's format_size: the largest unit that divides the byte count exactly."""
    size = int(size)
    kb = size // 1024
    if kb * 1024 != size:
        return str(size)
    mb = kb // 1024
    if mb * 1024 != kb:
        return f"{kb}K"
    gb = mb // 1024
    if gb * 1024 != mb:
        return f"{mb}M"
    tb = gb // 1024
    if tb * 1024 != gb:
        return f"{gb}G"
    return f"{tb}T"


