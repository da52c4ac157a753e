"""One case per schema rule of the reference (§4-§6): the exact message and exit 255.

Every case runs the real `pct` and checks stderr in full: `400 Parameter verification
failed.`, the `key: message` lines, then the short usage.
"""

from helpers import CREATE_USAGE, SET_USAGE, StandinTest

TEMPLATE = "local:vztmpl/x.tar"
ENUM_OSTYPE = ("debian, devuan, ubuntu, centos, fedora, opensuse, archlinux, alpine, gentoo, "
               "nixos, unmanaged")

# (test name, pct arguments after `set 100`, expected error lines)
SET_CASES = [
    ("vmid_type", None, ["vmid: type check ('integer') failed - got 'abc'"]),
    ("vmid_format", None, ["vmid: invalid format - value does not look like a valid VM ID"]),
    ("hostname_underscore", ["--hostname", "a_b"],
     ["hostname: invalid format - value does not look like a valid DNS name"]),
    ("hostname_trailing_dot", ["--hostname", "web."],
     ["hostname: invalid format - value does not look like a valid DNS name"]),
    ("hostname_max_length", ["--hostname", "a" * 256],
     ["hostname: value may only be 255 characters long"]),
    ("memory_minimum", ["--memory", "15"], ["memory: value must have a minimum value of 16"]),
    ("memory_type", ["--memory", "1.5"], ["memory: type check ('integer') failed - got '1.5'"]),
    ("swap_minimum", ["--swap", "-1"], ["swap: value must have a minimum value of 0"]),
    ("cores_minimum", ["--cores", "0"], ["cores: value must have a minimum value of 1"]),
    ("cores_maximum", ["--cores", "8193"], ["cores: value must have a maximum value of 8192"]),
    ("cpulimit_type", ["--cpulimit", "half"],
     ["cpulimit: type check ('number') failed - got 'half'"]),
    ("cpulimit_maximum", ["--cpulimit", "8192.5"],
     ["cpulimit: value must have a maximum value of 8192"]),
    ("cpulimit_minimum", ["--cpulimit", "-0.5"],
     ["cpulimit: value must have a minimum value of 0"]),
    ("cpuunits_maximum", ["--cpuunits", "500001"],
     ["cpuunits: value must have a maximum value of 500000"]),
    ("tty_maximum", ["--tty", "7"], ["tty: value must have a maximum value of 6"]),
    ("ostype_enum", ["--ostype", "windows"],
     [f"ostype: value 'windows' does not have a value in the enumeration '{ENUM_OSTYPE}'"]),
    ("arch_enum", ["--arch", "x86_64"],
     ["arch: value 'x86_64' does not have a value in the enumeration "
      "'amd64, i386, arm64, armhf, riscv32, riscv64'"]),
    ("cmode_enum", ["--cmode", "ssh"],
     ["cmode: value 'ssh' does not have a value in the enumeration 'shell, console, tty'"]),
    ("lock_enum", ["--lock", "held"],
     ["lock: value 'held' does not have a value in the enumeration 'backup, create, destroyed, "
      "disk, fstrim, migrate, mounted, rollback, snapshot, snapshot-delete'"]),
    ("description_max_length", ["--description", "d" * 8193],
     ["description: value may only be 8192 characters long"]),
    ("tags_characters", ["--tags", "ok;not!ok"],
     ["tags: invalid format - invalid characters in tag"]),
    ("startup_format", ["--startup", "order=first"],
     ["startup: invalid format - unable to parse startup options"]),
    ("timezone_unknown", ["--timezone", "Mars/Olympus"],
     ["timezone: invalid format - invalid time zone 'Mars/Olympus'"]),
    ("nameserver_address", ["--nameserver", "1.2.3"],
     ["nameserver: invalid format - value does not look like a valid IP address: 1.2.3"]),
    ("searchdomain_dns", ["--searchdomain", "ex_ample.com"],
     ["searchdomain: invalid format - value does not look like a valid DNS name"]),
    ("hookscript_volume_id", ["--hookscript", "script.sh"],
     ["hookscript: invalid format - unable to parse volume ID 'script.sh'"]),
    ("entrypoint_control_character", ["--entrypoint", "/app\nrun"],
     ["entrypoint: value does not match the regex pattern"]),
    ("entrypoint_del_character", ["--entrypoint", "/app\x7f"],
     ["entrypoint: value does not match the regex pattern"]),
    ("net_gw6", ["--net0", "name=eth0,gw6=fe80::1::2"],
     ["net0: invalid format - format error",
      "net0.gw6: invalid format - value does not look like a valid IPv6 address"]),
    ("nameserver_link_local_bad_iface", ["--nameserver", "fe80::1%1eth"],
     ["nameserver: invalid format - value does not look like a valid IP address: fe80::1%1eth"]),
    ("env_key", ["--env", "A-B=c"], ["env: value does not match the regex pattern"]),
    ("env_control_character", ["--env", "A=b\x01"],
     ["env: value does not match the regex pattern"]),
    ("boolean_type_in_schema", ["--onboot=2"], None),  # CLI rejects before the schema: below
    ("net_name_required", ["--net0", "bridge=vmbr0"],
     ["net0: invalid format - format error",
      "net0.name: property is missing and it is not optional"]),
    # pve-common 9: an unknown key is an error of check_object, not of the splitting.
    ("net_unknown_key", ["--net0", "name=eth0,speed=10"],
     ["net0: invalid format - format error",
      "net0.speed: property is not defined in schema and the schema does not allow additional "
      "properties"]),
    ("net_duplicate_key", ["--net0", "name=eth0,name=eth1"],
     ["net0: invalid format - duplicate key in comma-separated list property: name"]),
    ("net_missing_key", ["--net0", "name=eth0,=x"],
     ["net0: invalid format - missing key in comma-separated list property"]),
    ("net_name_pattern", ["--net0", "name=eth 0"],
     ["net0: invalid format - format error", "net0.name: value does not match the regex pattern"]),
    ("net_bridge_pattern", ["--net0", "name=eth0,bridge=vmbr/0"],
     ["net0: invalid format - format error",
      "net0.bridge: value does not match the regex pattern"]),
    ("net_hwaddr_multicast", ["--net0", "name=eth0,hwaddr=01:00:5E:00:00:01"],
     ["net0: invalid format - format error",
      "net0.hwaddr: invalid format - value does not look like a valid unicast MAC address"]),
    ("net_ip_prefix", ["--net0", "name=eth0,ip=10.0.0.1/33"],
     ["net0: invalid format - format error",
      "net0.ip: invalid format - value does not look like a valid ipv4 network configuration"]),
    ("net_ip_prefix_too_short", ["--net0", "name=eth0,ip=10.0.0.1/7"],
     ["net0: invalid format - format error",
      "net0.ip: invalid format - value does not look like a valid ipv4 network configuration"]),
    ("net_gw", ["--net0", "name=eth0,gw=10.0.0.256"],
     ["net0: invalid format - format error",
      "net0.gw: invalid format - value does not look like a valid IPv4 address"]),
    ("net_ip6", ["--net0", "name=eth0,ip6=fe80::1/129"],
     ["net0: invalid format - format error",
      "net0.ip6: invalid format - value does not look like a valid ipv6 network configuration"]),
    ("net_tag_maximum", ["--net0", "name=eth0,tag=4095"],
     ["net0: invalid format - format error",
      "net0.tag: value must have a maximum value of 4094"]),
    ("net_mtu_minimum", ["--net0", "name=eth0,mtu=63"],
     ["net0: invalid format - format error", "net0.mtu: value must have a minimum value of 64"]),
    ("net_trunks_pattern", ["--net0", "name=eth0,trunks=1:2"],
     ["net0: invalid format - format error",
      "net0.trunks: value does not match the regex pattern"]),
    ("net_part_without_key", ["--net0", "name=eth0,trunks=1,2"],
     ["net0: invalid format - value without key, but schema does not define a default key"]),
    ("net_boolean", ["--net0", "name=eth0,firewall=maybe"],
     ["net0: invalid format - format error",
      "net0.firewall: type check ('boolean') failed - got 'maybe'"]),
    ("net_type_enum", ["--net0", "name=eth0,type=macvlan"],
     ["net0: invalid format - format error",
      "net0.type: value 'macvlan' does not have a value in the enumeration 'veth'"]),
    ("net_index_range", ["--net32", "name=eth0"], None),  # unknown option: below
    ("mp_mp_required", ["--mp0", "/srv/data"],
     ["mp0: invalid format - format error", "mp0.mp: property is missing and it is not optional"]),
    ("mp_volume_dotdot", ["--mp0", "/srv/../etc,mp=/data"],
     ["mp0: invalid format - format error",
      "mp0.volume: invalid format - /srv/../etc contains illegal character sequences"]),
    ("mp_path_trailing_dot", ["--mp0", "/srv,mp=/data/."],
     ["mp0: invalid format - format error",
      "mp0.mp: invalid format - /data/. contains illegal character sequences"]),
    ("mp_path_leading_dotdot", ["--mp0", "/srv,mp=../data"],
     ["mp0: invalid format - format error",
      "mp0.mp: invalid format - ../data contains illegal character sequences"]),
    ("mp_duplicate_volume", ["--mp0", "/srv,/opt,mp=/data"],
     ["mp0: invalid format - duplicate key in comma-separated list property: volume"]),
    ("mp_mountoptions", ["--mp0", "/srv,mp=/data,mountoptions=noexec;sync"],
     ["mp0: invalid format - format error",
      "mp0.mountoptions: value does not match the regex pattern"]),
    ("mp_idmap", ["--mp0", "/srv,mp=/data,idmap=u:0:100000"],
     ["mp0: invalid format - format error", "mp0.idmap: value does not match the regex pattern"]),
    ("mp_size", ["--mp0", "/srv,mp=/data,size=10X"],
     ["mp0: invalid format - format error",
      "mp0.size: invalid format - value '10X' is not a valid disk size"]),
    ("rootfs_no_mp_key", ["--rootfs", "local-lvm:1,mp=/"],
     ["rootfs: invalid format - format error",
      "rootfs.mp: property is not defined in schema and the schema does not allow additional "
      "properties"]),
    ("dev_path", ["--dev0", "/tmp/null"],
     ["dev0: invalid format - format error",
      "dev0.path: invalid format - /tmp/null is not a valid device path"]),
    ("dev_mode", ["--dev0", "/dev/null,mode=0999"],
     ["dev0: invalid format - format error", "dev0.mode: value does not match the regex pattern"]),
    ("features_boolean", ["--features", "nesting=maybe"],
     ["features: invalid format - format error",
      "features.nesting: type check ('boolean') failed - got 'maybe'"]),
    ("features_mount", ["--features", "mount=nfs/4"],
     ["features: invalid format - format error",
      "features.mount: value does not match the regex pattern"]),
    ("delete_configid", ["--delete", "1x"],
     ["delete: invalid format - invalid configuration ID '1x'"]),
    ("digest_max_length", ["--digest", "f" * 41], ["digest: value may only be 40 characters long"]),
    ("several_parameters_sorted", ["--swap", "-1", "--memory", "1"],
     ["memory: value must have a minimum value of 16",
      "swap: value must have a minimum value of 0"]),
]

CREATE_CASES = [
    ("storage_short", ["--storage", "a"],
     ["storage: invalid format - storage ID 'a' cannot be shorter than 2 characters"]),
    ("storage_characters", ["--storage", "1local"],
     ["storage: invalid format - storage ID '1local' contains illegal characters"]),
    ("password_min_length", ["--password", "abcd"],
     ["password: value must be at least 5 characters long"]),
    ("ostemplate_max_length", None, ["ostemplate: value may only be 255 characters long"]),
    ("bwlimit_minimum", ["--bwlimit", "-1"], ["bwlimit: value must have a minimum value of 0"]),
]


def _set_case(args, lines, name):
    def test(self):
        vmid = {"vmid_type": "abc", "vmid_format": "99"}.get(name, "100")
        result = self.root.pct("set", vmid, *(args or ["--memory", "64"]))
        self.assertFails(result, self.param_error(SET_USAGE, *lines))
    return test


def _create_case(args, lines, name):
    def test(self):
        template = "local:vztmpl/" + "x" * 250 + ".tar" if name == "ostemplate_max_length" \
            else TEMPLATE
        result = self.root.pct("create", "100", template, *(args or []))
        self.assertFails(result, self.param_error(CREATE_USAGE, *lines))
    return test


class SchemaRules(StandinTest):
    def test_vmid_range_upper(self):
        result = self.root.pct("set", "1000000000", "--memory", "64")
        self.assertFails(result, self.param_error(
            SET_USAGE, "vmid: invalid format - value does not look like a valid VM ID"))

    def test_boolean_word_rejected_by_cli(self):
        self.assertFails(self.root.pct("set", "100", "--onboot=2"),
                         "400 unable to parse boolean option\n" + SET_USAGE + "\n")

    def test_net_index_beyond_31_unknown(self):
        self.assertFails(self.root.pct("set", "100", "--net32", "name=eth0"),
                         "Unknown option: net32\n400 unable to parse option\n" + SET_USAGE + "\n")

    def test_mp_index_beyond_255_unknown(self):
        self.assertFails(self.root.pct("set", "100", "--mp256", "/srv,mp=/x"),
                         "Unknown option: mp256\n400 unable to parse option\n" + SET_USAGE + "\n")

    def test_config_snapshot_name(self):
        self.assertFails(self.root.pct("config", "100", "--snapshot", "1st"), self.param_error(
            "pct config <vmid> [OPTIONS]",
            "snapshot: invalid format - invalid configuration ID '1st'"))
        self.assertFails(self.root.pct("config", "100", "--snapshot", "s" * 41), self.param_error(
            "pct config <vmid> [OPTIONS]", "snapshot: value may only be 40 characters long"))

    def test_template_volume_name_extension(self):
        self.assertFails(self.root.pct("create", "100", "local:vztmpl/x.tgz", "--rootfs",
                                       "local-lvm:1"),
                         "unable to create CT 100 - unable to parse directory volume name "
                         "'vztmpl/x.tgz'\n")

    def test_number_spellings_and_lists_pass(self):
        for value in ("1.", ".5", "+2", "2e0", "0"):
            result = self.root.pct("set", "100", "--cpulimit", value)
            self.assertFails(result, "Configuration file 'nodes/pve/lxc/100.conf' does not "
                                     "exist\n")
        result = self.root.pct("set", "100", "--nameserver", "192.0.2.1 fe80::1%eth0;2001:db8::1",
                               "--searchdomain", "a.example,b.example")
        self.assertFails(result, "Configuration file 'nodes/pve/lxc/100.conf' does not exist\n")

    def test_valid_values_pass_validation(self):
        # All of these pass the schema, so the failure is the missing CT.
        result = self.root.pct("set", "100", "--cpulimit", "1e2", "--hostname", "a-1.b",
                               "--tags", "A,b;c", "--net0", "name=eth0,ip=dhcp,host-managed=1",
                               "--mp0", "/srv,mp=/data,mountoptions=noexec;nosuid", "--timezone",
                               "Europe/Vienna", "--entrypoint", "/app 'a b'\t\"c\"",
                               "--env", "A_1=x y", "--cores", "+2", "--features",
                               "nesting=1,mount=nfs;cifs")
        self.assertFails(result, "Configuration file 'nodes/pve/lxc/100.conf' does not exist\n")

    def test_host_managed_with_ip6_auto(self):
        self.root.add_template()
        result = self.root.pct("create", "100", "local:vztmpl/bb.tar.zst", "--rootfs",
                               "local-lvm:1", "--net0", "name=eth0,host-managed=1,ip6=auto")
        self.assertFails(result, self.param_error(
            CREATE_USAGE, "net0: 'host-managed' cannot be combined with 'ip6=auto'"))


for _name, _args, _lines in SET_CASES:
    if _lines is not None:
        setattr(SchemaRules, f"test_set_{_name}", _set_case(_args, _lines, _name))
for _name, _args, _lines in CREATE_CASES:
    setattr(SchemaRules, f"test_create_{_name}", _create_case(_args, _lines, _name))
