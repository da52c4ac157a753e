"""A stand-in for Proxmox VE's pct and pvesh, for nexcage's tests (see ../README.md).

Behaviour follows Proxmox's pve-container 6.1.10 and pve-common 9.2.1 sources; containers run for real through Debian's LXC.
"""
