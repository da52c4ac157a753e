# A busybox image without a registry: a rootfs directory, a tarball of it, an OCI layout
# (umoci) for containerd, and a podman import. Built once per run under $T.

build_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,usr/bin,usr/sbin,var,run}
  cp /bin/busybox "$root/bin/busybox"
  local applet
  while read -r applet; do
    [[ $applet == bin/busybox ]] && continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -sf /bin/busybox "$root/$applet"
  done < <("$root/bin/busybox" --list-full)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
}

# build_images T: $T/rootfs, $T/rootfs.tar, $T/bb-oci.tar.
build_images() {
  local t=$1
  build_rootfs "$t/rootfs"
  tar --numeric-owner -C "$t/rootfs" -cf "$t/rootfs.tar" .
  umoci init --layout "$t/oci"
  umoci new --image "$t/oci:latest"
  umoci unpack --image "$t/oci:latest" "$t/ub" >/dev/null
  cp -a "$t/rootfs/." "$t/ub/rootfs/"
  umoci repack --image "$t/oci:latest" "$t/ub" >/dev/null
  umoci config --image "$t/oci:latest" --config.cmd /bin/sh \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --architecture amd64 --os linux
  umoci gc --layout "$t/oci"
  rm -rf "$t/ub"
  tar -C "$t/oci" -cf "$t/bb-oci.tar" .
}
