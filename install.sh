#!/bin/sh
# Installs cronguard from this source checkout under PREFIX, or removes it (--uninstall).
#   PREFIX/lib/cronguard                  the npm package (as `npm pack` makes it) + production node_modules
#   PREFIX/bin/cronguard                  a launcher calling node by its absolute path (cron's PATH is /usr/bin:/bin)
#   PREFIX/share/man/man1/cronguard.1     the man page
#   PREFIX/share/bash-completion/completions/cronguard, PREFIX/share/zsh/site-functions/_cronguard
# It downloads nothing but npm packages, and only when the checkout has no node_modules yet (npm ci).
set -eu
umask 022 # what it installs must be readable by every user whose crontab runs cronguard

usage() {
  cat <<'EOF'
Usage: sh install.sh [--prefix DIR] [--with-sweep] [--demo] [--uninstall]
  --prefix DIR   install under DIR (default: /usr/local as root, ~/.local otherwise)
  --with-sweep   also add "*/30 * * * * PREFIX/bin/cronguard sweep" to your crontab (once)
  --demo         then run a job that hangs and is stopped by --timeout, and show its record, all in a
                 throwaway database (your real database is not touched)
  --uninstall    remove everything install.sh installed under DIR, and that crontab line
Environment: NODE=/path/to/node picks the node the launcher runs (default: node on PATH).
EOF
}
die() { echo "install.sh: $*" >&2; exit 1; }

prefix='' action=install sweep=no demo=no
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --with-sweep) sweep=yes; shift ;;
    --demo) demo=yes; shift ;;
    --uninstall) action=uninstall; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument \"$1\" (see: sh install.sh --help)" ;;
  esac
done
if [ -z "$prefix" ]; then
  if [ "$(id -u)" = 0 ]; then prefix=/usr/local; else prefix=${HOME:?HOME is not set}/.local; fi
fi
case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac
case $prefix in *"'"* | *'
'*) die "--prefix must not contain quotes or newlines: $prefix" ;; esac

lib=$prefix/lib/cronguard bin=$prefix/bin/cronguard man=$prefix/share/man/man1/cronguard.1
bashc=$prefix/share/bash-completion/completions/cronguard zshc=$prefix/share/zsh/site-functions/_cronguard
marker='# Launcher written by cronguard install.sh'
sweep_line="*/30 * * * * $bin sweep"

# Installs the user's crontab without our sweep line, plus the lines given (read whole before `crontab -` writes).
# It is the crontab of the user running install.sh: the sweep then reads that user's database.
set_crontab() {
  kept=$(crontab -l 2>/dev/null | grep -vxF "$sweep_line" || true)
  { [ -z "$kept" ] || printf '%s\n' "$kept"; [ $# = 0 ] || printf '%s\n' "$@"; } | crontab -
}

if [ "$action" = uninstall ]; then
  if [ -f "$bin" ] && ! grep -qxF "$marker" "$bin"; then die "$bin was not written by install.sh; left alone"; fi
  made=$(cat "$lib/.made-dirs" 2>/dev/null || true)
  rm -rf "$lib" "$bin" "$man" "$bashc" "$zshc"
  # Directories install.sh created, deepest first, and only when nothing else lives in them.
  printf '%s\n' "$made" | sort -r | while IFS= read -r d; do [ -z "$d" ] || rmdir "$d" 2>/dev/null || true; done
  if command -v crontab >/dev/null && crontab -l 2>/dev/null | grep -qxF "$sweep_line"; then
    set_crontab && echo "removed from your crontab: $sweep_line"
  fi
  echo "cronguard uninstalled from $prefix (databases under /var/lib/cronguard or ~/.local/state/cronguard are kept)"
  exit 0
fi

node=${NODE:-$(command -v node || true)}
[ -n "$node" ] || die "Node.js >= 20.19 is needed and node is not on PATH: install it (Debian 13: apt install nodejs; else https://nodejs.org or your package manager), or give NODE=/path/to/node"
case $node in /*) ;; *) die "NODE must be an absolute path, got \"$node\"" ;; esac
case $node in *"'"*) die "the path of node must not contain quotes: $node" ;; esac
"$node" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
  || die "Node.js >= 20.19 is needed, $node is $("$node" --version): upgrade it (https://nodejs.org or your package manager), or give NODE=/path/to/node"
npm=$(dirname "$node")/npm
[ -x "$npm" ] || npm=$(command -v npm) || die "npm is needed (it comes with Node.js; Debian: apt install npm)"
if [ "$sweep" = yes ] && ! command -v crontab >/dev/null; then die "--with-sweep: no crontab command (install cron first)"; fi
if [ -e "$bin" ] && ! grep -qxF "$marker" "$bin"; then die "$bin exists and was not written by install.sh (npm install -g?): remove it first"; fi

src=$(cd "$(dirname "$0")" && pwd)
[ -f "$src/package.json" ] && [ -d "$src/src/cli" ] || die "run install.sh from a cronguard source checkout ($src is not one)"
cd "$src"
path0=$PATH
# npm's scripts run `node` from PATH: make it this one.
if [ "$(command -v node || true)" != "$node" ]; then PATH=$(dirname "$node"):$PATH && export PATH; fi
if [ ! -d node_modules/better-sqlite3 ]; then
  # better-sqlite3 compiles against the local Node headers (.npmrc, .prebuild-installrc): no prebuilt binary,
  # no header download.
  for tool in make g++ python3; do command -v $tool >/dev/null || die "$tool is needed to build better-sqlite3 (Debian: apt install make g++ python3)"; done
  echo "installing dependencies; compiling better-sqlite3 for Node $("$node" -p process.versions.node), takes a few minutes"
  CRONGUARD_BUILD_ANNOUNCED=1 "$npm" ci --loglevel=error
fi

# Creates a directory and its missing parents, remembering each one for --uninstall.
made=$(cat "$lib/.made-dirs" 2>/dev/null || true)
mkd() { [ -d "$1" ] && return 0; mkd "$(dirname "$1")"; mkdir "$1"; made="$made
$1"; }
for d in "$prefix/lib" "$prefix/bin" "$(dirname "$man")" "$(dirname "$bashc")" "$(dirname "$zshc")"; do mkd "$d"; done

# Build when there is no bundle or a source file is newer (a fresh bundle is left alone: tests may be using it).
if [ -z "$(find dist -maxdepth 1 -name '*js' 2>/dev/null)" ] || [ -n "$(find src package.json -newer dist | head -n 1)" ]; then
  "$npm" run --silent build
fi

# Stage the package exactly as npm would publish it, then add its production dependencies.
stage=$prefix/lib/.cronguard.new.$$
trap 'rm -rf "$stage" "$lib.old.$$"' EXIT
trap 'exit 1' HUP INT TERM
mkdir "$stage"
"$npm" pack --ignore-scripts --silent --pack-destination "$stage" >/dev/null
tar -xzf "$stage"/cronguard-*.tgz -C "$stage" --strip-components=1 && rm "$stage"/cronguard-*.tgz
cp package-lock.json "$stage/" && mkdir "$stage/node_modules" && cp -R node_modules/. "$stage/node_modules/"
(cd "$stage" && "$npm" prune --omit=dev --offline --no-audit --no-fund --silent)
rm -rf "$stage"/node_modules/better-sqlite3/build/Release/obj* # compiler intermediates: 15 MB nothing loads
printf '%s\n' "$made" | grep -v '^$' > "$stage/.made-dirs" || true
if [ -d "$lib" ]; then mv "$lib" "$lib.old.$$"; fi
mv "$stage" "$lib"

printf '#!/bin/sh\n%s\nexec '\''%s'\'' '\''%s'\'' "$@"\n' "$marker" "$node" "$lib/bin/cronguard" > "$bin.new.$$"
chmod 755 "$bin.new.$$" && mv "$bin.new.$$" "$bin"
cp "$lib/man/cronguard.1" "$man" && chmod 644 "$man"
# One run of a job, in a scratch database: a build with a start-up cache writes it now, readable by every user.
"$bin" --db "$stage.db" -- true >/dev/null 2>&1 || true
rm -f "$stage.db" "$stage.db-wal" "$stage.db-shm" "$stage.db.spool"
"$bin" completion bash > "$bashc" && "$bin" completion zsh > "$zshc"

if [ "$sweep" = yes ] && ! crontab -l 2>/dev/null | grep -qxF "$sweep_line"; then
  set_crontab "$sweep_line" && echo "added to your crontab: $sweep_line"
fi
echo "cronguard $("$bin" --version) installed in $prefix (launcher $bin runs $node)"
case ":$path0:" in *":$prefix/bin:"*) ;; *) echo "note: $prefix/bin is not on your PATH; crontab lines can call $bin" ;; esac

if [ "$demo" = yes ]; then
  scratch=$(mktemp -d) && trap 'rm -rf "$stage" "$lib.old.$$" "$scratch"' EXIT
  echo
  echo "demo (a throwaway database, removed afterwards): a job that hangs, stopped by --timeout 2s"
  echo "\$ cronguard --name demo --timeout 2s -- sh -c 'echo working; sleep 60'"
  "$bin" --db "$scratch/demo.db" --name demo --timeout 2s -- sh -c 'echo working; sleep 60' || echo "(exit $?: 124 means timed out)"
  echo "\$ cronguard history demo"
  "$bin" history demo --db "$scratch/demo.db"
fi
