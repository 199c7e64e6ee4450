#!/usr/bin/env bash
# install-pgvector.sh — make sure the pgvector extension ("vector") is available
# to the local PostgreSQL server.
#
# Debian bookworm ships no pgvector package, so this builds Debian's trixie
# `pgvector` *source* package against postgresql-server-dev-<major>:
#   1. add a trixie `deb-src` entry (same mirror host as the existing apt
#      sources; never a binary `deb` line, so nothing is upgraded from trixie),
#   2. apt-get source pgvector in a temp dir, make && make install,
#   3. verify with CREATE EXTENSION in a scratch database.
#
# Idempotent: if the extension is already available it prints one line and
# exits 0 without touching apt.
#
# Environment (all optional):
#   PG_CONFIG    pg_config of the target server (default /usr/lib/postgresql/15/bin/pg_config)
#   PGHOST       default 127.0.0.1
#   PGPORT       default 5432
#   PGUSER       default postgres
#   DEBIAN_MIRROR  override the detected mirror URI (e.g. http://deb.debian.org/debian)
#   PGVECTOR_SUITE Debian suite to take the source from (default trixie)
#
# Must run as root when an install is needed.
set -euo pipefail

PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
SUITE="${PGVECTOR_SUITE:-trixie}"
SRC_LIST="/etc/apt/sources.list.d/pgvector-${SUITE}-src.sources"
CHECK_DB="pgvector_check"

log() { printf '[install-pgvector] %s\n' "$*"; }
die() { printf '[install-pgvector] ERROR: %s\n' "$*" >&2; exit 1; }

# Major version: from pg_config if it exists, else from the default path.
if [[ -x "$PG_CONFIG" ]]; then
  PG_MAJOR="$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')"
else
  PG_MAJOR="$(basename "$(dirname "$(dirname "$PG_CONFIG")")")"
  [[ "$PG_MAJOR" =~ ^[0-9]+$ ]] || PG_MAJOR=15
fi

server_reachable() { psql -X -d postgres -tAc 'select 1' >/dev/null 2>&1; }

vector_available() {
  # Authoritative: ask the running server.
  if server_reachable; then
    [[ "$(psql -X -d postgres -tAc "select 1 from pg_available_extensions where name='vector'")" == 1 ]]
    return
  fi
  # Server down: fall back to the control file of the given pg_config.
  [[ -x "$PG_CONFIG" && -f "$("$PG_CONFIG" --sharedir)/extension/vector.control" ]]
}

verify() {
  server_reachable || die "PostgreSQL not reachable at ${PGUSER}@${PGHOST}:${PGPORT}; cannot verify"
  psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS ${CHECK_DB}" >/dev/null
  psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE ${CHECK_DB}" >/dev/null
  local ver rc=0
  ver="$(psql -X -q -d "$CHECK_DB" -v ON_ERROR_STOP=1 -tA \
           -c "CREATE EXTENSION IF NOT EXISTS vector" \
           -c "SELECT extversion FROM pg_extension WHERE extname='vector'" 2>&1)" || rc=$?
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${CHECK_DB}" >/dev/null || true
  [[ $rc -eq 0 ]] || die "CREATE EXTENSION vector failed: ${ver}"
  log "verified: CREATE EXTENSION vector works (pgvector ${ver}) on ${PGHOST}:${PGPORT}"
}

# ---------------------------------------------------------------- fast path
if vector_available; then
  log "pgvector already available to PostgreSQL ${PG_MAJOR} (${PGHOST}:${PGPORT}); nothing to do"
  exit 0
fi

[[ $EUID -eq 0 ]] || die "pgvector is missing and installing it needs root"
log "pgvector not found; building it from Debian ${SUITE} source for PostgreSQL ${PG_MAJOR}"

export DEBIAN_FRONTEND=noninteractive

WORKDIR="$(mktemp -d /tmp/pgvector-build.XXXXXX)"
trap 'rm -rf "$WORKDIR"' EXIT
# Let apt's sandbox user (_apt) write here to avoid the "unsandboxed as root" note.
chmod 0755 "$WORKDIR"
if id _apt >/dev/null 2>&1; then chown _apt "$WORKDIR"; fi
APTLOG="$WORKDIR/apt.log"
quiet() { "$@" >>"$APTLOG" 2>&1 || { tail -n 40 "$APTLOG" >&2; die "failed: $*"; }; }

# ---------------------------------------------------------------- build deps
deps=("postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev)
missing=()
for p in "${deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing build deps: ${missing[*]}"
  quiet apt-get update -qq
  quiet apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "build deps already installed"
fi
[[ -x "$PG_CONFIG" ]] || die "PG_CONFIG=$PG_CONFIG not found/executable after installing deps"

# ---------------------------------------------------------------- deb-src entry
# Find the Debian main-archive mirror already used by apt (the URI serving the
# current codename itself, not -security/-updates). Handles deb822 *.sources
# and one-line *.list files; skips commented lines and disabled files.
detect_mirror() {
  local codename
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  [[ -n "$codename" ]] || return 1
  local files=()
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  local f
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" && "$f" != "$SRC_LIST" ]] && files+=("$f")
  done
  ((${#files[@]})) || return 1
  awk -v cn="$codename" '
    FNR == 1 && NR > 1 { flush() }
    function flush() {
      if (types ~ /deb/ && uris != "" && (" " suites " ") ~ (" " cn " ")) {
        split(uris, u, /[ \t]+/); if (u[1] != "") { print u[1]; found = 1; exit }
      }
      types = uris = suites = ""
    }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^[ \t]*#/) next
      if (tolower($1) == "types:")  { $1 = ""; types = $0 }
      if (tolower($1) == "uris:")   { $1 = ""; sub(/^[ \t]+/, ""); uris = $0 }
      if (tolower($1) == "suites:") { $1 = ""; suites = $0; gsub(/^[ \t]+|[ \t]+$/, "", suites) }
      next
    }
    /^[ \t]*deb(-src)?[ \t]/ {
      line = $0; sub(/^[ \t]*deb(-src)?[ \t]+/, "", line)
      if (line ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", line)
      n = split(line, a, /[ \t]+/)
      if (n >= 2 && a[2] == cn) { print a[1]; found = 1; exit }
    }
    END { if (!found) flush() }
  ' "${files[@]}"
}

MIRROR="${DEBIAN_MIRROR:-$(detect_mirror || true)}"
MIRROR="${MIRROR%/}"
[[ -n "$MIRROR" ]] || die "could not detect the Debian mirror from /etc/apt/sources.list{,.d/*}; set DEBIAN_MIRROR"

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
want_src="Types: deb-src
URIs: ${MIRROR}
Suites: ${SUITE}
Components: main"
[[ -f "$KEYRING" ]] && want_src+=$'\n'"Signed-By: ${KEYRING}"
want_src="# Added by collabmatch db/install-pgvector.sh: source packages only (no binary
# 'deb' line, so nothing gets installed/upgraded from ${SUITE}).
${want_src}"

if [[ ! -f "$SRC_LIST" ]] || [[ "$(cat "$SRC_LIST")" != "$want_src" ]]; then
  log "adding deb-src ${SUITE} entry (${MIRROR}) -> ${SRC_LIST}"
  printf '%s\n' "$want_src" >"$SRC_LIST"
fi

# Refresh only this source list (fast; leaves the other lists untouched).
log "apt-get update (${SUITE} sources only)"
quiet apt-get update -qq \
  -o Dir::Etc::sourcelist="$SRC_LIST" \
  -o Dir::Etc::sourceparts=- \
  -o APT::Get::List-Cleanup=0

# ---------------------------------------------------------------- build
cd "$WORKDIR"
log "fetching pgvector source from ${SUITE}"
quiet apt-get source -qq -t "$SUITE" pgvector
SRCDIR="$(find . -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n1)"
[[ -n "$SRCDIR" ]] || die "pgvector source directory not found after apt-get source"
log "building ${SRCDIR#./} with PG_CONFIG=${PG_CONFIG}"

start=$SECONDS
make -C "$SRCDIR" -s -j"$(nproc)" PG_CONFIG="$PG_CONFIG" >build.log 2>&1 \
  || { tail -n 40 build.log >&2; die "make failed"; }
make -C "$SRCDIR" -s PG_CONFIG="$PG_CONFIG" install >>build.log 2>&1 \
  || { tail -n 40 build.log >&2; die "make install failed"; }
log "built and installed in $((SECONDS - start))s into $("$PG_CONFIG" --pkglibdir)"

cd /
verify
