"""Pending changes (`[pve:pending]`): merged for display, applied at the next start."""


def merged(conf):
    """The config as `pct config` shows it by default: pending values and deletions applied."""
    result = {k: v for k, v in conf.items() if k not in ("pending", "snapshots")}
    pending = conf.get("pending", {})
    for key, value in pending.items():
        if key != "delete":
            result[key] = value
    for key in pending.get("delete", "").split(","):
        if key:
            result.pop(key, None)
    return result


def apply(conf):
    """Fold pending into the config for a start; True if anything changed."""
    if not conf.get("pending"):
        conf.pop("pending", None)
        return False
    new = merged(conf)
    snapshots = conf.get("snapshots")
    conf.clear()
    conf.update(new)
    if snapshots:
        conf["snapshots"] = snapshots
    return True
