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
# failed (the others are still published); a failed target keeps serving its previous release.
#
# Environment: KEEP (releases kept, default 3), RSYNC_SSH (ssh command, default "ssh").
set -euo pipefail

usage() { echo "usage: publish-static.sh PUBLIC_DIR TARGET..." >&2; exit 2; }
[[ $# -ge 2 ]] || usage
public="${1%/}"
shift
[[ -f "$public/index.html" ]] || { echo "publish-static: $public is not a built site" >&2; exit 2; }
keep="${KEEP:-3}"
ssh_cmd="${RSYNC_SSH:-ssh}"
stamp="$(date -u +%Y%m%dT%H%M%S.%NZ)"

# on_target TARGET SCRIPT: runs SCRIPT with sh on the target's machine, the folder as $1.
on_target() {
  local target="$1" script="$2"
  if [[ "$target" == *:* ]]; then
    # shellcheck disable=SC2029  # the folder is passed as an argument, quoted for the remote sh
    $ssh_cmd "${target%%:*}" sh -c "$(printf '%q' "$script")" sh "$(printf '%q' "${target#*:}")"
  else
    sh -c "$script" sh "$target"
  fi
}

# The release `current` points at (a name under releases/), or nothing.
current_release() {
  on_target "$1" 'cd "$1" 2>/dev/null && [ -L current ] && basename "$(readlink current)" || true'
}

publish_one() {
  local target="$1" previous link_dest=() stats
  on_target "$target" 'mkdir -p "$1/releases"' || return 1
  previous="$(current_release "$target")" || return 1
  [[ -n "$previous" ]] && link_dest=(--link-dest="../$previous")
  # Dot files go too (an old URL's .moved): the site's nginx configuration never serves them.
  stats="$(rsync -a --delete --stats -e "$ssh_cmd" "${link_dest[@]}" \
    "$public/" "$target/releases/$stamp/")" || return 1
  grep -E '^Number of (regular )?files( transferred)?:' <<<"$stats" | sed "s|^|publish-static: $target: |"
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
