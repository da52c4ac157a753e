"""pvesh, reduced to what nexcage asks (`pvesh get /cluster/nextid [--vmid N]`) and what a
host's boot does (`pvesh create /nodes/<node>/startall`, run by pve-guests.service)."""

import json
import os
import re

from . import cli, ctconfig
from .errors import ParamError, PveError
from .root import find_root
from .schema import Prop

_RANGE = re.compile(r"^next-id:\s*(.*)$", re.M)
DEFAULT_RANGE = (100, 1000000)


def _range(root):
    """[lower, upper) from datacenter.cfg's `next-id: lower=N,upper=M`."""
    try:
        with open(root.datacenter_cfg, encoding="utf-8") as cfg:
            match = _RANGE.search(cfg.read())
    except FileNotFoundError:
        match = None
    lower, upper = DEFAULT_RANGE
    if match:
        for part in match.group(1).split(","):
            key, _, value = part.strip().partition("=")
            if key in ("lower", "upper") and value.isdigit():
                lower, upper = (int(value), upper) if key == "lower" else (lower, int(value))
    return lower, upper


def _take_stale_answer(root):
    """The VMID in etc/pve/.standin-nextid-race, once: a test's way to model the race Proxmox
    documents, where another node creates a guest between nextid's answer and pct create."""
    path = root.join("etc", "pve", ".standin-nextid-race")
    try:
        with open(path, encoding="utf-8") as race:
            text = race.read().strip()
        os.unlink(path)
    except FileNotFoundError:
        return None
    return int(text)


def nextid(params):
    root = find_root()
    used = {vmid for vmid, _, _ in ctconfig.all_vmids(root)}
    if params.get("vmid") is not None:
        vmid = int(params["vmid"])
        if vmid in used:
            raise ParamError("Parameter verification failed.",
                             {"vmid": f"VM {vmid} already exists"})
        found = vmid
    elif (stale := _take_stale_answer(root)) is not None:
        found = stale
    else:
        lower, upper = _range(root)
        found = next((i for i in range(lower, upper) if i not in used), None)
        if found is None:
            raise PveError(f"unable to get any free VMID in range [{lower}, {upper}]")
    if params.get("output-format", "text") == "text":
        print(found)
    else:
        print(json.dumps(found))
    return 0


OPTIONS = {
    "vmid": Prop(type="integer", format="pve-vmid", minimum=100, maximum=999999999),
    "output-format": Prop(enum=("text", "json", "json-pretty", "yaml")),
    "noproxy": Prop(type="boolean"),
    "human-readable": Prop(type="boolean"),
    "noborder": Prop(type="boolean"),
    "noheader": Prop(type="boolean"),
    "quiet": Prop(type="boolean"),
}


def main(argv):
    verbs = {"get": cli.Verb("get", _get, ("api_path",), OPTIONS),
             "create": cli.Verb("create", _create, ("api_path",), STARTALL_OPTIONS)}
    return cli.run("pvesh", verbs, argv)


STARTALL_OPTIONS = {
    "force": Prop(type="boolean"),
    "vms": Prop(type="string"),
    "output-format": Prop(enum=("text", "json", "json-pretty", "yaml")),
    "quiet": Prop(type="boolean"),
}


def _create(params):
    """`startall`: every CT of this node with onboot 1 (or all of --vms), in VMID order, as
    pve-guests.service does at boot; `startup` order/delays are not modelled. A CT that fails
    to start is reported and the others still start, as on Proxmox."""
    root = find_root()
    path = "/" + params["api_path"].strip("/")
    if path not in (f"/nodes/{root.node}/startall", "/nodes/localhost/startall"):
        raise PveError(f"no such resource '{path}' (the pve stand-in serves only "
                       f"/nodes/{root.node}/startall for create)")
    from . import verb_power  # the start path pct uses
    wanted = None
    if params.get("vms"):
        wanted = {int(v) for v in re.split(r"[,;\s]+", params["vms"]) if v.isdigit()}
    failed = 0
    for vmid, kind, node in sorted(ctconfig.all_vmids(root)):
        if kind != "lxc" or node != root.node:
            continue
        conf = ctconfig.load(root, vmid)
        onboot = str(conf.get("onboot", 0)) == "1"
        if (wanted is None and not onboot) or (wanted is not None and vmid not in wanted):
            continue
        print(f"Starting CT {vmid}")
        try:
            verb_power.start_ct(root, vmid)
        except PveError as err:
            failed += 1
            print(f"Starting CT {vmid} failed: {err}")
    return 0 if failed == 0 else 255


def _get(params):
    path = "/" + params["api_path"].strip("/")
    if path != "/cluster/nextid":
        raise PveError(f"no such resource '{path}' (the pve stand-in serves only "
                       "/cluster/nextid)")
    return nextid(params)
