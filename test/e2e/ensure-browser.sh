#!/usr/bin/env bash
# Makes sure the end-to-end tests have Debian's Chromium and a CJK font (screenshots must show Chinese text).
# Playwright's own browser download cannot work here, so we rely on the distribution's packages.
set -euo pipefail

missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  missing+=(fonts-wqy-zenhei)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "端到端测试需要 ${missing[*]},正在用 apt-get 安装…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >&2
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi

echo "端到端测试需要 Chromium 和中文字体,但本机缺少:${missing[*]}。请先运行:" >&2
echo "  sudo apt-get install -y chromium fonts-wqy-zenhei" >&2
exit 1
