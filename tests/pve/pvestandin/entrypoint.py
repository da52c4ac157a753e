"""Splitting `entrypoint` / `lxc.init.cmd` into argv as LXC >= 6.0 does (lxc_string_split_quoted).

Words are separated by whitespace; a word that starts with ' or " runs to the next identical
quote; there are no escapes. Debian's LXC 5 splits on whitespace only, so the stand-in splits
itself and hands the argv to `lxc-start -- argv...`, which gives the same init as Proxmox.
"""

_SPACE = " \t\n\r\f\v"


def split(command):
    words, i = [], 0
    while i < len(command):
        if command[i] in _SPACE:
            i += 1
            continue
        if command[i] in "'\"":
            end = command.find(command[i], i + 1)
            end = len(command) if end < 0 else end
            words.append(command[i + 1:end])
            i = end + 1
            continue
        start = i
        while i < len(command) and command[i] not in _SPACE:
            i += 1
        words.append(command[start:i])
    return words
