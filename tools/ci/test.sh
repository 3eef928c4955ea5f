#!/usr/bin/env bash
# `npm test`: everything CI checks, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

echo '== test prerequisites'
# Debian packages the tests need, installed here when missing (root and apt needed):
# - python3-grpcio, protobuf-compiler-grpc: the polyglot tests run Python clients/handlers with
#   stubs protoc generates; python3-yaml for checkwire-lc's YAML attachments; python3-mypy checks
#   the Python packages' types (their typecheck target);
# - dovecot-imapd, dovecot-pop3d, mariadb-server: real IMAP/POP3/MySQL daemons the checks log in to
#   (started by the tests as root on loopback ports, never as system services);
# - redis-server, mosquitto, ngircd, chrony, tftpd-hpa, snmpd, tigervnc-standalone-server and
#   tigervnc-tools (Xvnc, vncpasswd): real servers for the infrastructure checks (libs/checks),
#   started in the foreground by the tests on loopback ports, never as system services;
#   iputils-ping and iproute2: the ICMP check runs ping, its test `ip` in its own namespace;
# - slapd, samba, xrdp, openssh-sftp-server, openssl: real servers for the directory, file-share
#   and remote-login checks (libs/checks: ldap/ldaps, smb, rdp, sftp), started in the foreground
#   by the tests from scratch folders on loopback ports; smbclient: the smb check runs it;
#   freerdp2-shadow-x11: FreeRDP's shadow server, the real NLA (CredSSP/NTLM) server the rdp
#   check logs in to, sharing an Xvnc display of the test's own;
# - unbound: the real DNS server of the dns check's tests (libs/checks), started in the foreground
#   from a scratch folder on a loopback port; where systemd runs, its package also starts it as the
#   host's resolver, which is stopped and disabled below (the host's DNS is left as it was);
# - python3-winrm (pywinrm): a second WinRM client the WinRM stand-in of the winrm check's tests
#   must satisfy (no WinRM server installs on Debian: libs/checks/README.md);
# - chromium: the browser the console's tests drive (playwright-core never downloads one).
PACKAGES='python3-grpcio python3-protobuf python3-yaml python3-mypy protobuf-compiler
  protobuf-compiler-grpc libprotobuf-dev dovecot-imapd dovecot-pop3d mariadb-server chromium
  redis-server mosquitto ngircd chrony tftpd-hpa snmpd tigervnc-standalone-server tigervnc-tools
  iputils-ping iproute2 slapd samba smbclient xrdp freerdp2-shadow-x11 openssh-sftp-server
  openssl unbound python3-winrm'
if [ ! -x /usr/bin/grpc_python_plugin ] || ! /usr/bin/python3 -c 'import grpc, yaml, mypy' 2>/dev/null ||
  [ ! -x /usr/sbin/dovecot ] || [ ! -x /usr/sbin/mariadbd ] || [ ! -x /usr/bin/chromium ] ||
  [ ! -x /usr/bin/redis-server ] || [ ! -x /usr/sbin/mosquitto ] || [ ! -x /usr/sbin/ngircd ] ||
  [ ! -x /usr/sbin/chronyd ] || [ ! -x /usr/sbin/in.tftpd ] || [ ! -x /usr/sbin/snmpd ] ||
  [ ! -x /usr/bin/Xtigervnc ] || [ ! -x /usr/bin/tigervncpasswd ] || [ ! -x /usr/bin/ping ] ||
  ! command -v ip >/dev/null || [ ! -x /usr/sbin/slapd ] || [ ! -x /usr/sbin/smbd ] ||
  [ ! -x /usr/bin/smbclient ] || [ ! -x /usr/sbin/xrdp ] || [ ! -x /usr/bin/freerdp-shadow-cli ] ||
  [ ! -x /usr/lib/openssh/sftp-server ] ||
  [ ! -x /usr/bin/openssl ] || [ ! -x /usr/sbin/unbound ] ||
  [ ! -f /usr/lib/python3/dist-packages/winrm/__init__.py ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
    if [ -d /run/systemd/system ]; then systemctl disable --now unbound >/dev/null 2>&1 || true; fi
  else
    echo "missing: apt-get install $(echo $PACKAGES)" >&2
    exit 1
  fi
fi

echo '== protos: buf lint, breaking changes against main, generated code up to date'
npm run -s proto:check
if git rev-parse --verify -q main >/dev/null; then
  npx buf breaking proto --against '.git#branch=main,subdir=proto'
fi

echo '== format'
npx prettier --check .

echo '== lint and typecheck'
npx nx run-many -t lint typecheck --outputStyle=stream

echo '== tests (real PostgreSQL, real servers)'
# One project at a time: each starts PostgreSQL and servers, and this machine has two cores.
rm -rf .test-results
status=0
npx nx run-many -t test --parallel=1 --outputStyle=stream || status=$?
node tools/ci/summarize-tests.mjs || status=1
exit "$status"
