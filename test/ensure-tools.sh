#!/usr/bin/env bash
# Runs before `npm test`: the suite needs a few programs from Debian that npm cannot bring.
#   java (17)          DynamoDB Local, for the integration tests
#   xmllint            ../shared/tools/validate-manifest, for the manifest tests
#   chromium + a CJK font  the end-to-end tests (screenshots must show Chinese text);
#                      Playwright's own browser download cannot work here, so we use the distribution's package.
#   soffice + pdftoppm  the print test: LibreOffice converts a written .xlsx to PDF, poppler renders its page 1.
set -euo pipefail

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  missing+=(fonts-wqy-zenhei)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "测试需要 ${missing[*]},正在用 apt-get 安装…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >&2
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi

echo "测试需要以下软件包,但本机缺少:${missing[*]}。请先运行:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
