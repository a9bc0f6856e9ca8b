#!/usr/bin/env bash
# Installs pyinfra as the benchmark's peer into .cache/pyinfra from a checkout of its public repository
# (no registry these machines reach carries it), with its dependencies from Debian's packages.
#   bench/setup-pyinfra.sh /path/to/pyinfra-checkout
set -euo pipefail
source_dir=${1:?usage: bench/setup-pyinfra.sh PYINFRA_SOURCE_DIR}
home="$(cd "$(dirname "$0")/.." && pwd)/.cache/pyinfra"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends python3-venv python3-pip python3-gevent python3-paramiko python3-click \
  python3-jinja2 python3-dateutil python3-setuptools python3-typeguard python3-distro python3-typing-extensions python3-winrm >/dev/null
rm -rf "$home" && mkdir -p "$home/shim"
/usr/bin/python3 -m venv --system-site-packages "$home/venv"
"$home/venv/bin/pip" install -q --no-deps --no-index --no-build-isolation "$source_dir"
site=$("$home/venv/bin/python" -c 'import site; print(site.getsitepackages()[0])')
# pyinfra declares the Python 2 backport `configparser`; Python 3 has it built in, so an empty record satisfies it.
mkdir -p "$site/configparser-99.0.dist-info"
printf 'Metadata-Version: 2.1\nName: configparser\nVersion: 99.0\n' > "$site/configparser-99.0.dist-info/METADATA"
touch "$site/configparser-99.0.dist-info/RECORD"
# pyinfra 3 uses typeguard 3's API; Debian's is 2.x, so a shim maps check_type/TypeCheckError onto it.
cp "$(dirname "$0")/peers/typeguard-shim.py" "$home/shim/typeguard.py"
PYTHONPATH="$home/shim" "$home/venv/bin/pyinfra" --version
