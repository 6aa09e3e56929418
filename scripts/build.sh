#!/bin/sh
# Build umview in _build/NAME (NAME: default, or asan for the ASan+UBSan
# build).  Usage: scripts/build.sh [default|asan] [extra configure args]
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
name=${1:-default}
[ $# -gt 0 ] && shift
case $name in
default) flags= ;;
asan) flags=--enable-sanitizers ;;
*) echo "scripts/build.sh: unknown build '$name' (default or asan)" >&2; exit 2 ;;
esac
cd "$top"
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p "_build/$name"
cd "_build/$name"
# shellcheck disable=SC2086
[ -f Makefile ] || ../../configure -q $flags "$@"
make -j"$(nproc)" >/dev/null
