# What a finished suite must not leave: nexcage records, backend state, cgroups, processes.

# leftover_lines: one line per leftover found (empty when clean).
leftover_lines() {
  local ns_root=/run/containerd/runc/$CTR_NS
  local dir entry
  # nexcage records: <root>/<id>/state.json under the containerd root and the default root.
  for dir in "$ns_root" /run/nexcage; do
    [[ -d $dir ]] || continue
    for entry in "$dir"/*/state.json; do
      [[ -e $entry ]] && echo "nexcage record: $entry"
    done
  done
  # Backend state: runc and crun keep one directory per container under their --root.
  for dir in "$ns_root"/.backends/{runc,crun} /run/nexcage/.backends/{runc,crun}; do
    [[ -d $dir ]] || continue
    for entry in "$dir"/*; do
      [[ -d $entry ]] && echo "backend state: $entry"
    done
  done
  # cgroups made for the containers (children of /<ns> and /libpod_parent in each hierarchy).
  for dir in /sys/fs/cgroup/*/"$CTR_NS" /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/"$CTR_NS" \
    /sys/fs/cgroup/libpod_parent; do
    [[ -d $dir ]] || continue
    for entry in "$dir"/*/; do
      # libpod_parent/conmon is podman's own cgroup for its conmon processes, not a container's.
      [[ $entry == */libpod_parent/conmon/ ]] && continue
      [[ -d $entry ]] && echo "cgroup: $entry"
    done
  done
  # Processes: shims, conmons and container inits of this run.
  pgrep -a -f "containerd-shim-runc-v2 -namespace $CTR_NS" | sed 's/^/process: /'
  pgrep -a -x conmon | sed 's/^/process: /'
  pgrep -a -f 'sleep 1000' | sed 's/^/process: /'
  pgrep -a -x nexcage | sed 's/^/process: /'
  pgrep -a -x nexcage-monitor | sed 's/^/process: /'
  true
}

no_leftovers() {
  local found
  found=$(leftover_lines)
  if [[ -n $found ]]; then
    fail "left behind:"$'\n'"$found"
    return 1
  fi
}

# remove_empty_cgroups: the client-made parents (/<ns>, /libpod_parent), children first.
remove_empty_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/*/"$CTR_NS" /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/"$CTR_NS" \
    /sys/fs/cgroup/libpod_parent; do
    [[ -d $dir ]] || continue
    find "$dir" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null || true
    rmdir "$dir" 2>/dev/null || true
  done
}
