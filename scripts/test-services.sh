#!/usr/bin/env bash
# Real FTP(S) and SFTP servers on loopback for the artifact-store contract and e2e suites.
#
#   scripts/test-services.sh [start]   install if missing, start both, wait, print the URIs
#   scripts/test-services.sh stop      stop both
#   scripts/test-services.sh status    exit 0 only if both answer
#   scripts/test-services.sh ftp-stop  kill only vsftpd, listener and every session (a real outage)
#   scripts/test-services.sh ftp-start start only vsftpd
#   scripts/test-services.sh uris      print the URIs
#
# vsftpd: 127.0.0.1:2121, passive ports 30000-30009, user flopsftp/flopsftp chrooted to
# /home/flopsftp (so the artifacts root is /artifacts), explicit FTPS offered but not forced.
# sshd: 127.0.0.1:2222, password or key auth for flopsftp, sftp only (internal-sftp), no chroot.
# State (configs, host keys, certificate, pids, logs) lives in <repo>/.test-services/ (gitignored).
# Needs root. Idempotent: a running server is left alone.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${TEST_SERVICES_DIR:-$REPO_DIR/.test-services}"
FTP_DIR="$STATE_DIR/vsftpd"
SSH_DIR="$STATE_DIR/sshd"
FTP_USER=flopsftp
FTP_PASSWORD=flopsftp
USER_HOME="/home/$FTP_USER"
ARTIFACTS_DIR="$USER_HOME/artifacts"
FTP_PORT=2121
SFTP_PORT=2222
PASV_MIN=30000
PASV_MAX=30009
WAIT_SECONDS=15

log() { printf '[test-services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (installs packages, creates a user, binds servers)"
}

install_packages() {
  local missing=()
  [[ -x /usr/sbin/vsftpd ]] || missing+=(vsftpd)
  [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
  command -v openssl >/dev/null || missing+=(openssl)
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  # Keep the packages' own init scripts from starting servers on ports 21 and 22.
  local created_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >"$STATE_DIR/apt.log" 2>&1 ||
    { apt-get update >>"$STATE_DIR/apt.log" 2>&1 &&
      apt-get install -y --no-install-recommends "${missing[@]}" >>"$STATE_DIR/apt.log" 2>&1; } ||
    { ((created_policy)) && rm -f /usr/sbin/policy-rc.d; die "apt-get failed, see $STATE_DIR/apt.log"; }
  ((created_policy)) && rm -f /usr/sbin/policy-rc.d
  return 0
}

ensure_user() {
  if ! id "$FTP_USER" >/dev/null 2>&1; then
    log "creating user $FTP_USER"
    useradd --create-home --home-dir "$USER_HOME" --shell /bin/bash "$FTP_USER"
  fi
  echo "$FTP_USER:$FTP_PASSWORD" | chpasswd
  mkdir -p "$ARTIFACTS_DIR"
  chown "$FTP_USER:$FTP_USER" "$USER_HOME" "$ARTIFACTS_DIR"
  chmod 755 "$USER_HOME" "$ARTIFACTS_DIR"
}

write_vsftpd_config() {
  mkdir -p "$FTP_DIR" /var/run/vsftpd/empty
  if [[ ! -s "$FTP_DIR/cert.pem" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=127.0.0.1' \
      -keyout "$FTP_DIR/key.pem" -out "$FTP_DIR/cert.pem" >/dev/null 2>&1
    chmod 600 "$FTP_DIR/key.pem"
  fi
  cat >"$FTP_DIR/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$FTP_PORT
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
chroot_local_user=YES
allow_writeable_chroot=YES
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$PASV_MIN
pasv_max_port=$PASV_MAX
port_enable=NO
pam_service_name=vsftpd
secure_chroot_dir=/var/run/vsftpd/empty
seccomp_sandbox=NO
utf8_filesystem=YES
max_clients=64
max_per_ip=64
idle_session_timeout=600
data_connection_timeout=120
xferlog_enable=NO
vsftpd_log_file=$FTP_DIR/vsftpd.log
dual_log_enable=NO
ssl_enable=YES
rsa_cert_file=$FTP_DIR/cert.pem
rsa_private_key_file=$FTP_DIR/key.pem
force_local_logins_ssl=NO
force_local_data_ssl=NO
allow_anon_ssl=NO
ssl_tlsv1=NO
ssl_sslv2=NO
ssl_sslv3=NO
require_ssl_reuse=NO
ssl_ciphers=HIGH
EOF
  chmod 600 "$FTP_DIR/vsftpd.conf"
}

write_sshd_config() {
  mkdir -p "$SSH_DIR" /run/sshd
  chmod 700 "$SSH_DIR"
  [[ -s "$SSH_DIR/ssh_host_ed25519_key" ]] ||
    ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/ssh_host_ed25519_key"
  # A client key for the private-key-path option; its public half is authorised for flopsftp.
  [[ -s "$SSH_DIR/client_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/client_ed25519"
  # sshd reads authorized keys as the user, so they live in its home, not in the repo.
  install -d -m 700 -o "$FTP_USER" -g "$FTP_USER" "$USER_HOME/.ssh"
  # Appended, not replaced: several checkouts on one machine (a developer's and CI's) share the user.
  local keys="$USER_HOME/.ssh/authorized_keys"
  touch "$keys"
  grep -qxF "$(cat "$SSH_DIR/client_ed25519.pub")" "$keys" || cat "$SSH_DIR/client_ed25519.pub" >>"$keys"
  chown "$FTP_USER:$FTP_USER" "$keys"
  chmod 600 "$keys"
  cat >"$SSH_DIR/sshd_config" <<EOF
Port $SFTP_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/ssh_host_ed25519_key
PidFile $SSH_DIR/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $FTP_USER
MaxSessions 16
MaxStartups 64:30:128
LogLevel ERROR
Subsystem sftp internal-sftp
Match User $FTP_USER
  ForceCommand internal-sftp
  AllowTcpForwarding no
  X11Forwarding no
  PermitTTY no
EOF
}

# Reads the greeting, so a foreign process on the port does not count as "up".
banner_ok() {
  local port=$1 prefix=$2 line
  line=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && head -n 1 <&3" 2>/dev/null) || return 1
  [[ $line == "$prefix"* ]]
}

wait_for() {
  local name=$1 port=$2 prefix=$3 i
  for ((i = 0; i < WAIT_SECONDS * 5; i++)); do
    banner_ok "$port" "$prefix" && return 0
    sleep 0.2
  done
  log "$name did not answer on 127.0.0.1:$port within ${WAIT_SECONDS}s"
  return 1
}

pid_alive() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

ftp_start() {
  if pid_alive "$FTP_DIR/vsftpd.pid" && banner_ok "$FTP_PORT" 220; then
    log "vsftpd already running"
    return 0
  fi
  # A test vsftpd of another checkout would hold the port: replace it with ours.
  ftp_stop
  write_vsftpd_config
  # setsid: the listener leads its own process group, so ftp_stop can kill it with every session.
  setsid /usr/sbin/vsftpd "$FTP_DIR/vsftpd.conf" </dev/null >>"$FTP_DIR/stdout.log" 2>&1 9>&- &
  echo $! >"$FTP_DIR/vsftpd.pid"
  wait_for vsftpd "$FTP_PORT" 220 || { tail -n 20 "$FTP_DIR/stdout.log" "$FTP_DIR/vsftpd.log" 2>/dev/null >&2; return 1; }
  log "vsftpd up on 127.0.0.1:$FTP_PORT"
}

# The listener and every process below it. Sessions call setsid(), so a process-group kill
# would leave open connections (and uploads in flight) alive: not a real outage.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$child"
  done
  echo "$1"
}

ftp_stop() {
  local listeners pids="" pid
  # The listener on our port may have been started from another checkout of this repository
  # (a developer's tree and CI's clone share the machine), so look it up by its config path too.
  listeners=$( { pid_alive "$FTP_DIR/vsftpd.pid" && cat "$FTP_DIR/vsftpd.pid"; pgrep -f '^/usr/sbin/vsftpd .*/\.test-services/vsftpd/vsftpd\.conf$'; } | sort -u)
  for pid in $listeners; do pids="$pids $(descendants "$pid")"; done
  if [[ -n ${pids// /} ]]; then
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    # kill -0 would still see the listener as a zombie where init does not reap; watch the port.
    for _ in $(seq 1 50); do banner_ok "$FTP_PORT" 220 || break; sleep 0.1; done
    log "vsftpd stopped ($(wc -w <<<"$pids") processes: listener and sessions)"
  fi
  rm -f "$FTP_DIR/vsftpd.pid"
}

sftp_start() {
  if pid_alive "$SSH_DIR/sshd.pid" && banner_ok "$SFTP_PORT" SSH-; then
    log "sshd already running"
    return 0
  fi
  # A test sshd of another checkout would hold the port: replace it with ours.
  sftp_stop
  write_sshd_config
  /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" || die "sshd config test failed"
  /usr/sbin/sshd -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log" 9>&-
  wait_for sshd "$SFTP_PORT" SSH- || { tail -n 20 "$SSH_DIR/sshd.log" >&2; return 1; }
  log "sshd up on 127.0.0.1:$SFTP_PORT"
}

sftp_stop() {
  local listeners
  # As for vsftpd: the listener may belong to another checkout's state directory.
  listeners=$( { pid_alive "$SSH_DIR/sshd.pid" && cat "$SSH_DIR/sshd.pid"; pgrep -f '^sshd: /usr/sbin/sshd -f .*/\.test-services/sshd/sshd_config'; } | sort -u)
  if [[ -n $listeners ]]; then
    # shellcheck disable=SC2086
    kill -TERM $listeners 2>/dev/null || true
    for _ in $(seq 1 50); do banner_ok "$SFTP_PORT" SSH- || break; sleep 0.1; done
    log "sshd stopped"
  fi
  rm -f "$SSH_DIR/sshd.pid"
}

print_uris() {
  cat <<EOF
TEST_FTP_URI=ftp://$FTP_USER:$FTP_PASSWORD@127.0.0.1:$FTP_PORT/artifacts
TEST_FTPS_URI=ftps://$FTP_USER:$FTP_PASSWORD@127.0.0.1:$FTP_PORT/artifacts
TEST_SFTP_URI=sftp://$FTP_USER:$FTP_PASSWORD@127.0.0.1:$SFTP_PORT$ARTIFACTS_DIR
TEST_SFTP_KEY=$SSH_DIR/client_ed25519
EOF
}

# Serialises concurrent invocations (an outage test may run "start" while its "stop" is
# still waiting for the port to close).
lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/.lock"
  flock 9
}

main() {
  local cmd=${1:-start}
  case $cmd in start | stop | ftp-stop | ftp-start) lock ;; esac
  case $cmd in
    start)
      require_root
      mkdir -p "$STATE_DIR"
      install_packages
      ensure_user
      local rc=0
      ftp_start || rc=1
      sftp_start || rc=1
      ((rc == 0)) || die "a test server failed to come up"
      print_uris
      ;;
    stop)
      require_root
      ftp_stop
      sftp_stop
      ;;
    ftp-stop) require_root; ftp_stop ;;
    ftp-start) require_root; ensure_user; ftp_start || die "vsftpd failed to come up" ;;
    status)
      local rc=0
      banner_ok "$FTP_PORT" 220 && log "vsftpd up" || { log "vsftpd down"; rc=1; }
      banner_ok "$SFTP_PORT" SSH- && log "sshd up" || { log "sshd down"; rc=1; }
      return $rc
      ;;
    uris) print_uris ;;
    *) die "usage: $0 [start|stop|status|ftp-stop|ftp-start|uris]" ;;
  esac
}

main "$@"
