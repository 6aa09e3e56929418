#!/bin/sh
# Install what umview needs to build, test and benchmark on Debian 12 (as root).
set -e
export DEBIAN_FRONTEND=noninteractive
pkgs="autoconf automake libtool pkg-config make gcc libc6-dev
      libseccomp-dev check
      bash coreutils util-linux passwd procps python3 tmux strace
      proot
      libext2fs-dev e2fsprogs libiso9660-dev libcdio-dev libfuse3-dev fuse3
      fuse2fs xorriso attr sqlite3 git file qemu-user gcc-aarch64-linux-gnu
      libc6-dev-arm64-cross"
if [ "$(id -u)" != 0 ]; then
	echo "scripts/deps.sh: run me as root (apt-get install)" >&2
	exit 1
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
