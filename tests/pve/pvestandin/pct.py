"""The pct verb table: which verbs exist, their arguments and options, and their handlers."""

from . import (cli, ctschema, verb_create, verb_destroy, verb_exec, verb_info, verb_power,
               verb_set)
from .errors import PveError
from .root import find_root
from .schema import Prop

BOOL = Prop(type="boolean")
VMID = {"vmid": ctschema.VMID}

# Verbs Proxmox has but the stand-in does not: listed so abbreviations resolve as on Proxmox.
UNIMPLEMENTED = ("clone", "console", "cpusets", "delsnapshot", "df", "fsck", "fstrim", "help",
                 "listsnapshot", "migrate", "mount", "move-volume", "pending", "pull", "push",
                 "remote-migrate", "rescan", "resize", "restore", "resume", "rollback",
                 "snapshot", "suspend", "template", "unmount")


def _with_root(function):
    def handler(params):
        return function(find_root(), params)

    return handler


def _unimplemented(name):
    def handler(params):
        raise PveError(f"pct {name}: not implemented by the pve stand-in (tests/pve)")

    return handler


def verbs():
    table = {
        "create": cli.Verb("create", _with_root(verb_create.create), ("vmid", "ostemplate"),
                           verb_create.OPTIONS, verb_create.POSITIONAL),
        "start": cli.Verb("start", _with_root(verb_power.start), options={
            "debug": BOOL, "skiplock": BOOL}, schemas=VMID),
        "stop": cli.Verb("stop", _with_root(verb_power.stop), options={
            "skiplock": BOOL, "overrule-shutdown": BOOL,
            "timeout": Prop(type="integer", minimum=0)}, schemas=VMID),
        "shutdown": cli.Verb("shutdown", _with_root(verb_power.shutdown), options={
            "timeout": Prop(type="integer", minimum=0, default=60), "forceStop": BOOL},
            schemas=VMID),
        "reboot": cli.Verb("reboot", _with_root(verb_power.reboot), options={
            "timeout": Prop(type="integer", minimum=0)}, schemas=VMID),
        "destroy": cli.Verb("destroy", _with_root(verb_destroy.destroy), options={
            "force": BOOL, "purge": BOOL, "destroy-unreferenced-disks": BOOL}, schemas=VMID),
        "status": cli.Verb("status", _with_root(verb_info.status), options={"verbose": BOOL},
                           schemas=VMID),
        "list": cli.Verb("list", _with_root(verb_info.list_cts), positionals=()),
        "config": cli.Verb("config", _with_root(verb_info.config), options={
            "current": BOOL, "snapshot": Prop(format="pve-configid", max_length=40)},
            schemas=VMID),
        "set": cli.Verb("set", _with_root(verb_set.set_options), options=verb_set.OPTIONS,
                        schemas=VMID),
        "exec": cli.Verb("exec", _with_root(verb_exec.exec_), ("vmid", cli.EXTRA_ARGS),
                         {"keep-env": BOOL}, VMID),
        "enter": cli.Verb("enter", _with_root(verb_exec.enter), options={"keep-env": BOOL},
                          schemas=VMID),
        "unlock": cli.Verb("unlock", _with_root(verb_exec.unlock), schemas=VMID),
    }
    for name in UNIMPLEMENTED:
        table[name] = cli.Verb(name, _unimplemented(name), positionals=(cli.EXTRA_ARGS,),
                               hidden=True)
    return table


def main(argv):
    return cli.run("pct", verbs(), argv)
