#!/usr/bin/env bash
# Installs what the end-to-end tests need, as root, on Debian 12:
#   - SIPp (sip-tester) and debootstrap from Debian's mirror;
#   - ISC dhcpd, dnsmasq and nginx, to check the provisioning snippets (services not started);
#   - Kamailio with its TLS module, the SIP edge the kamailio tests run (service not started);
#   - pure-ftpd, the FTP/FTPS server `recordings archive` is tested against (service not started);
#   - OpenSSH's server, which the deploy tests start on loopback with their own config (service not started);
#   - Asterisk from Debian unstable inside a minbase chroot, cached under
#     /var/cache/callplan-e2e/sid (outside the repository) so later runs reuse it.
# Idempotent and safe to run twice or concurrently (flock). A chroot without its
# completion marker (written last) is thrown away and rebuilt.
#
# Environment: CALLPLAN_E2E_CACHE (default /var/cache/callplan-e2e),
#              CALLPLAN_E2E_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

CACHE=${CALLPLAN_E2E_CACHE:-/var/cache/callplan-e2e}
ROOT=$CACHE/sid
BUILD=$CACHE/sid.build
MARKER=$ROOT/.callplan-e2e-complete
MIRROR=${CALLPLAN_E2E_MIRROR:-http://deb.debian.org/debian}
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

say() { printf '[e2e-install] %s\n' "$*"; }
die() { printf '[e2e-install] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# Runs "$@" as one named step, its output in $CACHE/logs/, and reports how long it took
# (or, when it fails, the end of its output).
step() {
  local name=$1; shift
  local log; log="$CACHE/logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-' | tr -s '-').log"
  local t0; t0=$(now)
  mkdir -p "$CACHE/logs"
  say "$name ..."
  local rc=0
  # Not `if ! "$@"`: bash ignores set -e inside a condition, and a failing command would go unnoticed.
  set +e
  (set -e; "$@") >"$log" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$log" | sed 's/^/    /' >&2
    die "$name failed after $(since "$t0") (full output: $log)"
  fi
  say "$name: done in $(since "$t0")"
}

[ "$(id -u)" -eq 0 ] || die "must run as root (CI runs as root; locally: sudo bash test/e2e/install.sh)"

T_ALL=$(now)
mkdir -p "$CACHE"
exec 9>"$CACHE/install.lock"
if ! flock -n 9; then
  say "another install is running; waiting for it (up to 15 min)"
  flock -w 900 9 || die "timed out waiting for $CACHE/install.lock"
fi

# Unmounts everything mounted below $1 (deepest first), so it can be removed safely.
unmount_below() {
  local dir; dir=$(readlink -f "$1")
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}

mount_proc() {
  local dir=$1
  mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
}

apt_update() {
  local i
  for i in 1 2 3 4 5; do
    apt-get -o DPkg::Lock::Timeout=120 update -qq && return 0
    say "apt-get update failed (attempt $i), retrying"
    sleep "$i"
  done
  die "apt-get update failed"
}

host_packages() {
  apt_update
  apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends debootstrap sip-tester
}

# The edge tests start their own Kamailio on loopback (test/e2e/harness/kamailio.ts) and check
# every generated kamailio.cfg with `kamailio -c` (TLS variants need the TLS module); the
# package's own service must not start.
kamailio_packages() {
  local policy=/usr/sbin/policy-rc.d own=""
  if [ ! -e "$policy" ]; then
    own=1
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
  fi
  apt_update
  local rc=0
  apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends kamailio kamailio-tls-modules || rc=$?
  [ -z "$own" ] || rm -f "$policy"
  return "$rc"
}

# The programs the provisioning snippets are for (provisioning-snippets.e2e.test.ts checks them
# with dhcpd -t, dnsmasq --test and a real nginx on loopback). Their services must not start:
# a policy-rc.d refusing every start is in place for the install, unless the host has its own.
provisioning_tools() {
  local policy=/usr/sbin/policy-rc.d own=""
  if [ ! -e "$policy" ]; then
    own=1
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
  fi
  apt_update
  local rc=0
  apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends isc-dhcp-server dnsmasq-base nginx-light || rc=$?
  [ -z "$own" ] || rm -f "$policy"
  return "$rc"
}

# The archive tests start their own pure-ftpd on loopback (test/e2e/harness/ftp.ts); the
# package's own service must not start.
ftp_server() {
  local policy=/usr/sbin/policy-rc.d own=""
  if [ ! -e "$policy" ]; then
    own=1
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
  fi
  apt_update
  local rc=0
  apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends pure-ftpd || rc=$?
  [ -z "$own" ] || rm -f "$policy"
  return "$rc"
}

# The deploy tests start their own sshd on loopback (test/e2e/harness/sshd.ts); the package's own
# service must not start.
ssh_server() {
  local policy=/usr/sbin/policy-rc.d own=""
  if [ ! -e "$policy" ]; then
    own=1
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
  fi
  apt_update
  local rc=0
  apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends openssh-server || rc=$?
  [ -z "$own" ] || rm -f "$policy"
  return "$rc"
}

chroot_apt_config() {
  local dir=$1
  cat >"$dir/etc/apt/apt.conf.d/99callplan-e2e" <<'EOF'
// The mirror may be a frozen copy: accept its Release files whatever their date.
Acquire::Check-Valid-Until "false";
Acquire::Retries "3";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
  # Package scripts must not start services inside the chroot.
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod 755 "$dir/usr/sbin/policy-rc.d"
}

chroot_asterisk() {
  local dir=$1
  mount_proc "$dir"
  chroot "$dir" apt-get update -qq
  chroot "$dir" apt-get install -y -qq --no-install-recommends asterisk
  chroot "$dir" apt-get clean
}

# Tests talk to loopback only: inside the chroot, names resolve from /etc/hosts alone and any
# resolver Asterisk or PJSIP runs itself asks 127.0.0.1 (nothing answers: it fails at once,
# instead of sending the host name and A.ROOT-SERVERS.NET to the machine's DNS server).
chroot_loopback_dns() {
  local dir=$1
  printf '127.0.0.1\tlocalhost %s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$(hostname)" >"$dir/etc/hosts"
  printf 'nameserver 127.0.0.1\n' >"$dir/etc/resolv.conf.callplan"
  mv "$dir/etc/resolv.conf.callplan" "$dir/etc/resolv.conf"
  sed -i 's/^hosts:.*/hosts:          files/' "$dir/etc/nsswitch.conf"
}

# --- 1. host packages -------------------------------------------------------
if command -v sipp >/dev/null && command -v debootstrap >/dev/null; then
  say "sipp and debootstrap already installed ($(sipp -v 2>/dev/null | grep -o 'v[0-9][0-9.]*' | head -1 || true))"
else
  step "apt-get install debootstrap sip-tester" host_packages
fi

if [ -x /usr/sbin/kamailio ] && dpkg -s kamailio-tls-modules >/dev/null 2>&1; then
  say "kamailio already installed ($(kamailio -v 2>/dev/null | head -1 | cut -d' ' -f2-3))"
else
  step "apt-get install kamailio kamailio-tls-modules" kamailio_packages
fi

if [ -x /usr/sbin/dhcpd ] && [ -x /usr/sbin/dnsmasq ] && [ -x /usr/sbin/nginx ]; then
  say "dhcpd, dnsmasq and nginx already installed"
else
  step "apt-get install isc-dhcp-server dnsmasq-base nginx-light" provisioning_tools
fi

if [ -x /usr/sbin/pure-ftpd ]; then
  say "pure-ftpd already installed"
else
  step "apt-get install pure-ftpd" ftp_server
fi

if [ -x /usr/sbin/sshd ]; then
  say "sshd already installed"
else
  step "apt-get install openssh-server" ssh_server
fi

# --- 2. Asterisk chroot -----------------------------------------------------
if [ -f "$MARKER" ] && [ -x "$ROOT/usr/sbin/asterisk" ]; then
  say "Asterisk chroot cached at $ROOT ($(cat "$MARKER"))"
else
  df -h "$CACHE" | sed 's/^/[e2e-install] /'
  avail_kb=$(df -Pk "$CACHE" | awk 'NR == 2 { print $4 }')
  [ "$avail_kb" -ge 1500000 ] || die "need ~1.5 GB free under $CACHE for the Asterisk chroot"
  for old in "$ROOT" "$BUILD"; do
    if [ -e "$old" ]; then
      say "removing incomplete chroot $old"
      unmount_below "$old"
      rm -rf --one-file-system "$old"
    fi
  done
  mkdir -p "$BUILD"
  step "debootstrap --variant=minbase sid" debootstrap --variant=minbase sid "$BUILD" "$MIRROR"
  chroot_apt_config "$BUILD"
  step "apt-get install asterisk (in the chroot)" chroot_asterisk "$BUILD"
  unmount_below "$BUILD"
  mv "$BUILD" "$ROOT"
  version=$(chroot "$ROOT" asterisk -V)
  # The marker is written last: its presence means the chroot is complete.
  printf '%s, built %s\n' "$version" "$(date -u +%FT%TZ)" >"$MARKER"
  say "Asterisk chroot ready at $ROOT ($version, $(du -sh --one-file-system "$ROOT" | cut -f1))"
fi

chroot_loopback_dns "$ROOT"
mount_proc "$ROOT"
say "all done in $(since "$T_ALL")"
