#!/usr/bin/env bash
# Stops or starts only the test vsftpd (see test-services.sh); used by the FTP outage e2e test.
#   scripts/ftp-ctl.sh stop|start
set -euo pipefail
case ${1:-} in
  stop) exec "$(dirname "${BASH_SOURCE[0]}")/test-services.sh" ftp-stop ;;
  start) exec "$(dirname "${BASH_SOURCE[0]}")/test-services.sh" ftp-start ;;
  *) echo "usage: $0 stop|start" >&2; exit 2 ;;
esac
