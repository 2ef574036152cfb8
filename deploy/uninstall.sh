#!/usr/bin/env bash
# Remove hotro from a kiosk PC: stop and remove the services, the code, log rotation and the
# printer rule. The journal, the centre key and the configuration are KEPT (they are the centre's
# records) unless --purge is given.
#
#   sudo bash deploy/uninstall.sh            # keep /var/lib/hotro and /etc/hotro
#   sudo bash deploy/uninstall.sh --purge    # also delete the journal, key, config, logs and user
# Options: --root DIR (operate on an alternate root, no systemctl/userdel), --purge
set -euo pipefail
ROOT=""
PURGE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT="$(realpath -m "$2")"; shift 2 ;;
    --purge) PURGE=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "uninstall: unknown option $1" >&2; exit 2 ;;
  esac
done
say() { printf 'uninstall: %s\n' "$*"; }
if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then
  echo "uninstall: run as root" >&2
  exit 1
fi
if [ -z "$ROOT" ]; then
  for u in hotro-terminal.service hotro-desk.service; do
    systemctl disable --now "$u" >/dev/null 2>&1 || true
  done
fi
rm -f "$ROOT/etc/systemd/system/hotro-terminal.service" "$ROOT/etc/systemd/system/hotro-desk.service" \
      "$ROOT/etc/logrotate.d/hotro" "$ROOT/etc/udev/rules.d/60-hotro-printer.rules"
rm -rf "$ROOT/opt/hotro"
[ -z "$ROOT" ] && systemctl daemon-reload
if [ "$PURGE" = 1 ]; then
  rm -rf "$ROOT/var/lib/hotro" "$ROOT/etc/hotro" "$ROOT/var/log/hotro"
  [ -z "$ROOT" ] && { userdel hotro 2>/dev/null || true; }
  say "removed everything, including the journal and the centre key"
else
  say "removed the program; kept $ROOT/var/lib/hotro (journal, key) and $ROOT/etc/hotro (config)"
fi
