#!/usr/bin/env bash
# carton's set-up: everything a fresh Debian/Ubuntu machine needs, installed only when
# missing, then one container from the embedded default image to prove it works.
#   sudo npm run setup
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
  echo "carton setup: needs root (it installs Debian packages and runs a container)" >&2
  echo "hint: sudo npm run setup" >&2
  exit 1
fi

# Debian packages: what the runtime uses, then what the tests and the benchmark use.
runtime_packages="busybox-static iproute2 nftables util-linux tini"
test_packages="strace tmux runc containerd podman skopeo umoci docker-registry chromium git gcc libc6-dev"
missing=""
for pkg in $runtime_packages $test_packages; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "carton setup: installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # Install, never start: containerd's package would start the system's containerd (the
  # tests start their own, on private sockets). policy-rc.d answers "not now" to that.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# npm packages, exactly as locked.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "carton setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# A supported Node: package.json pins one as an optional dependency (the official build, as
# published on the npm registry for linux-x64 and linux-arm64), so the machine's own Node
# only has to be new enough to run npm. npm scripts and lib/cli/carton use it.
if [ ! -x node_modules/.bin/node ]; then
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 24 ]; then
    echo "carton setup: no Node.js 24+ for this machine ($(uname -m)): npm has none to install, and the machine's is $(node --version)" >&2
    echo "hint: install Node.js 24 or later, then run npm run setup again" >&2
    exit 1
  fi
fi
export PATH="$PWD/node_modules/.bin:$PATH"
echo "carton setup: Node.js $(node --version)"

# The everyday CLI runs compiled JavaScript (see README: "Why compiled?").
echo "carton setup: compiling TypeScript to dist/"
npx tsc -p tsconfig.build.json

# The default image is made from the host's static busybox; running it builds it.
# --network none: saying hello needs no bridge, and leaves no network state on the host.
lib/cli/carton run --rm --network none carton/busybox echo "carton is ready: hello from a container of carton/busybox"
