"""A stand-in for Proxmox VE's pct and pvesh, for nexcage's tests (see ../README.md).

Behaviour follows shared/reference/pct.md; containers run for real through Debian's LXC.
"""
