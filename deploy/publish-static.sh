#!/usr/bin/env bash
# Pushes the built site (serve's --out, public/) to static mirrors: any number of nginx servers or
# a CDN's origin folder, while one `clemency serve` stays the only writer.
#
#   deploy/publish-static.sh PUBLIC_DIR TARGET...
#   TARGET  a local folder (/var/www/mirror) or an ssh one (mirror1.example:/var/www/mirror)
#
# On each target: TARGET/releases/<UTC time>/ receives the site by rsync, with every file the
# previous release has unchanged (same size and time) hard-linked from it, so only changed files
# cross the network; then TARGET/current, a symlink, is flipped to the new release by rename(2),
# which is atomic: a reader (nginx with `root TARGET/current`) gets each file whole from the old
# release or the new one, never a half-copied site. The last KEEP releases (default 3) are kept,
# so files a reader opened a moment before the flip stay readable. Exits non-zero if any target
# failed (the others are still published); a failed target keeps serving its previous release,
# and a release whose transfer failed is removed from it.
#
# With PRECOMPRESS=1, each text file over 512 bytes of the new release gets a .gz beside it
# (gzip -6; the previous release's .gz hard-linked where the file is unchanged) for nginx's
# gzip_static, so a mirror does not compress per request. The build itself writes no .gz files.
#
# Environment: KEEP (releases kept, default 3), RSYNC_SSH (ssh command, default "ssh"; a run
# makes six ssh connections per target, so "ssh -o ControlMaster=auto -o ControlPath=... -o
# ControlPersist=30" saves five logins), PRECOMPRESS (1: add .gz files).
set -euo pipefail

usage() { echo "usage: publish-static.sh PUBLIC_DIR TARGET..." >&2; exit 2; }
[[ $# -ge 2 ]] || usage
public="${1%/}"
shift
[[ -f "$public/index.html" ]] || { echo "publish-static: $public is not a built site" >&2; exit 2; }
keep="${KEEP:-3}"
ssh_cmd="${RSYNC_SSH:-ssh}"
stamp="$(date -u +%Y%m%dT%H%M%S.%NZ)"

# on_target TARGET SCRIPT [ARG...]: runs SCRIPT (read from stdin) with sh on the target's
# machine, with the folder as $1 and the ARGs after it.
on_target() {
  local target="$1" script="$2"
  shift 2
  if [[ "$target" == *:* ]]; then
    local quoted=() a
    for a in "${target#*:}" "$@"; do quoted+=("$(printf '%q' "$a")"); done
    # shellcheck disable=SC2029  # the arguments are quoted for the remote shell
    printf '%s\n' "$script" | $ssh_cmd "${target%%:*}" sh -s -- "${quoted[@]}"
  else
    printf '%s\n' "$script" | sh -s -- "$target" "$@"
  fi
}

# $1 the target folder, $2 the new release, $3 the previous one (or "").
precompress_script='cd "$1/releases/$2" || exit 1
find . -type f \( -name "*.html" -o -name "*.css" -o -name "*.js" -o -name "*.json" \
  -o -name "*.atom" -o -name "*.rss" -o -name "*.xml" -o -name "*.svg" -o -name "*.txt" \
  -o -name "*.csv" \) -size +511c | while IFS= read -r f; do
  if [ -n "$3" ] && [ "$f" -ef "../$3/$f" ] && [ -f "../$3/$f.gz" ]; then echo "L$f.gz"; else echo "G$f"; fi
done >.precompress
sed -n "s/^L//p" .precompress | (cd "../${3:-$2}" && xargs -r -d "\n" cp -l --parents -t "../$2") &&
  sed -n "s/^G//p" .precompress | xargs -r -d "\n" gzip -6 -n -k -f
status=$?
rm -f .precompress
exit $status'
precompress="${PRECOMPRESS:-0}"

# The release `current` points at (a name under releases/), or nothing.
current_release() {
  on_target "$1" 'cd "$1" 2>/dev/null && [ -L current ] && basename "$(readlink current)" || true'
}

# Sends the site into TARGET/releases/$stamp (only what changed since `previous`) and adds the
# .gz files with PRECOMPRESS=1; the release is not live yet.
send_release() {
  local target="$1" previous="$2" link_dest=() stats
  [[ -n "$previous" ]] && link_dest=(--link-dest="../$previous")
  # Dot files go too (an old URL's .moved): the site's nginx configuration never serves them.
  # --whole-file: a changed file is sent whole, never as a delta against the previous release.
  # Debian 12's rsync (3.2.7 with its security fixes) discards such deltas against a relative
  # --link-dest basis over ssh ("failed verification -- update discarded", RsyncProject/rsync
  # issue 928), and a site's changed files are small; unchanged ones are still hard links.
  stats="$(rsync -a --whole-file --delete --stats -e "$ssh_cmd" "${link_dest[@]}" \
    "$public/" "$target/releases/$stamp/")" || return 1
  grep -E '^Number of (regular )?files( transferred)?:' <<<"$stats" | sed "s|^|publish-static: $target: |"
  if [[ "$precompress" == 1 ]]; then
    on_target "$target" "$precompress_script" "$stamp" "$previous" || return 1
  fi
}

publish_one() {
  local target="$1" previous
  on_target "$target" 'mkdir -p "$1/releases"' || return 1
  previous="$(current_release "$target")" || return 1
  if ! send_release "$target" "$previous"; then
    # A transfer cut half-way leaves a partial release: never made live, and removed so that it
    # does not count as one of the KEEP releases (best effort: the target may be unreachable).
    on_target "$target" 'rm -rf -- "$1/releases/$2"' "$stamp" || true
    return 1
  fi
  # The flip: a new symlink renamed over the old one (mv -T is rename(2)).
  on_target "$target" 'cd "$1" && ln -sfn "releases/'"$stamp"'" current.new && mv -T current.new current' ||
    return 1
  # Old releases beyond KEEP, oldest first (their names sort by time); never the new one.
  on_target "$target" 'cd "$1/releases" && ls -1 | head -n -'"$keep"' | grep -vx "'"$stamp"'" | while read -r old; do rm -rf -- "$old"; done' ||
    return 1
  echo "publish-static: $target: current -> releases/$stamp"
}

failed=0
for target in "$@"; do
  if ! publish_one "$target"; then
    echo "publish-static: $target: FAILED (it keeps its previous release)" >&2
    failed=1
  fi
done
exit "$failed"
