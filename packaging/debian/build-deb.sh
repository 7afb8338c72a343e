#!/usr/bin/env bash
# Builds the Debian 12 (bookworm) package of the kiosk: iop-kiosk_VERSION_amd64.deb.
#
#   packaging/debian/build-deb.sh OUT_DIR VERSION        (make deb)
#
# The package carries a ready virtual environment in /opt/kiosk/.venv, made with Debian's own
# /usr/bin/python3 (3.11) at its real path: inside a private mount namespace, /opt/kiosk is
# the staging folder, so every script's #! line and pyvenv.cfg name /opt/kiosk/.venv and
# nothing on this computer is touched. A venv is not relocatable, and this way none has to
# be relocated (sed over #! lines, as some tools do, misses compiled paths).
#
# Why dpkg-deb and not dh-virtualenv (1.2.2 is in Debian 12): the result is the same, a venv in
# /opt with a Depends on Debian's python3; dh-virtualenv would add a debian/ tree, debhelper
# and dpkg-buildpackage to the build, and its venv relocation. dpkg-deb needs only dpkg. The
# .deb is what a clinic's IT expects: `apt install ./iop-kiosk_….deb`, dependencies from
# Debian, conffiles kept on upgrade, `apt purge` to remove.
#
# Layout (deploy/README.md's paths keep working):
#   /opt/kiosk/.venv/                 the kiosk and its Python packages (PyPI wheels)
#   /opt/kiosk/deploy/                deploy/ as it was at build time (units, foot.ini, …)
#   /opt/kiosk/kiosk.toml             conffile (staff settings, the PIN hash)
#   /opt/kiosk/content/               conffiles (staff content)
#   /lib/systemd/system/kiosk*.service, kiosk-health.timer   installed, never enabled/started
#   /etc/pam.d/kiosk-cage             conffile (for kiosk-browser.service)
#
# The staff files are real files where the units (--config /opt/kiosk/kiosk.toml) and the
# guide look, marked as conffiles although they are not in /etc (lintian's
# non-etc-file-marked-as-conffile): dpkg keeps them on upgrade all the same. Symbolic links
# from /opt/kiosk into /etc/kiosk were tried and dropped: `sed -i`, many editors and any
# rename-over-the-file save replace the link with a file, which the next upgrade would then
# overwrite with the link again, losing the staff's change.
set -euo pipefail

out=${1:?usage: build-deb.sh OUT_DIR VERSION}
version=${2:?usage: build-deb.sh OUT_DIR VERSION}
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
package=iop-kiosk
arch=$(dpkg --print-architecture)

python=/usr/bin/python3
if ! "$python" -c 'import sys, ensurepip; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
    echo "build-deb.sh: needs Debian 12's python3 (3.11) and python3-venv at $python" >&2
    exit 1
fi
for tool in dpkg-deb unshare; do
    command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing" >&2; exit 1; }
done

stage=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root/opt/kiosk" "$root/lib/systemd/system" "$root/etc/pam.d" \
    "$root/DEBIAN" "$root/usr/share/doc/$package"

# A clean copy of the source (no .venv, caches or content cache), for pip to build from.
mkdir "$stage/src"
git -C "$source_dir" ls-files -z --cached --others --exclude-standard \
    | (cd "$source_dir" && xargs -0 cp --parents -t "$stage/src" 2>/dev/null || true)
rm -rf "$stage/src/.venv"

# The virtual environment, made at its real path in a private mount namespace.
as_root=()
[ "$(id -u)" = 0 ] || as_root=(--map-root-user)
unshare --mount "${as_root[@]}" -- bash -euo pipefail -c '
    root=$1 python=$2 src=$3
    mount --make-rprivate /
    mount -t tmpfs kiosk-build /opt
    mkdir /opt/kiosk
    mount --bind "$root/opt/kiosk" /opt/kiosk
    "$python" -m venv /opt/kiosk/.venv
    /opt/kiosk/.venv/bin/python -m pip install --quiet --no-cache-dir --upgrade pip
    /opt/kiosk/.venv/bin/python -m pip install --quiet --no-cache-dir --no-compile "$src"
    # Bytecode at the real path: the units run the kiosk on a read-only disk, where Python
    # could not save it, and every start would compile it again.
    /opt/kiosk/.venv/bin/python -m compileall -q -j 0 /opt/kiosk/.venv/lib
' _ "$root" "$python" "$stage/src"
rm -rf "$root/opt/kiosk/.venv/lib/python3.11/site-packages/kiosk/bundled_content/.kiosk-cache"

# What deploy/ holds at build time, and the units where systemd looks for them.
cp -r "$source_dir/deploy" "$root/opt/kiosk/deploy"
rm -rf "$root/opt/kiosk/deploy/ansible"
cp "$source_dir"/deploy/*.service "$root/lib/systemd/system/"
cp "$source_dir"/deploy/health/kiosk-health.service "$source_dir"/deploy/health/kiosk-health.timer \
    "$root/lib/systemd/system/"
cp "$source_dir/deploy/pam-kiosk-cage" "$root/etc/pam.d/kiosk-cage"

# Staff files (conffiles), as deploy/README.md places them.
cp "$source_dir/kiosk.toml" "$root/opt/kiosk/kiosk.toml"
cp -r "$source_dir/content" "$root/opt/kiosk/content"
find "$root/opt/kiosk/content" -name '.*' -prune -exec rm -rf {} +

cp "$source_dir/README.md" "$root/usr/share/doc/$package/README.md"
cp "$source_dir/deploy/README.md" "$root/usr/share/doc/$package/deploy.md"
cp "$source_dir/docs/staff.md" "$root/usr/share/doc/$package/staff.md"
cp "$here/copyright" "$root/usr/share/doc/$package/copyright"

# Control files.
(cd "$root" && find etc opt/kiosk/kiosk.toml opt/kiosk/content -type f | sort | sed 's|^|/|') \
    > "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
    "$here/control.in" > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z \
    | xargs -0 md5sum) > "$root/DEBIAN/md5sums"

# Owned by root, readable by all (kiosk.toml gets group kiosk and 0640 in postinst).
chmod -R u=rwX,go=rX "$root"
chmod 0755 "$root"/DEBIAN/postinst "$root"/DEBIAN/prerm "$root"/DEBIAN/postrm
mkdir -p "$out"
deb="$out/${package}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
