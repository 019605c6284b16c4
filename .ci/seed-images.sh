#!/usr/bin/env bash
# Seeds the images the tests use into the local Docker engine, without any registry:
# a rootfs made from Debian's busybox-static, imported under the names a normal machine
# would pull. Idempotent: an image that is already there is left alone.
set -euo pipefail

DOCKER=${DOCKER:-docker}
BUSYBOX_BIN=${BUSYBOX_BIN:-/bin/busybox}

seed_busybox() {
  local name=$1
  if "$DOCKER" image inspect "$name" >/dev/null 2>&1; then
    echo "image $name already present"
    return
  fi
  local root
  root=$(mktemp -d)
  trap 'rm -rf "$root"' RETURN
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,workspace,home/agent,root,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX_BIN" "$root/bin/busybox"
  # One link per applet; busybox --list names busybox itself, which must stay the binary.
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] && continue
    ln -sf /bin/busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nagent:x:1000:1000:agent:/home/agent:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nagent:x:1000:\nnogroup:x:65534:\n' > "$root/etc/group"
  chown 1000:1000 "$root/home/agent" "$root/workspace"
  tar -C "$root" -c . | "$DOCKER" import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["sh"]' - "$name" >/dev/null
  echo "image $name seeded from $BUSYBOX_BIN"
}

for image in "$@"; do
  seed_busybox "$image"
done
