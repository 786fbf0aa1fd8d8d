#!/usr/bin/env bash
# Writes the nginx configuration of deploy/nginx/ with its ${CLEMENCY_*} variables filled in.
#   CLEMENCY_PUBLIC=/srv/clemency/public CLEMENCY_SERVE=127.0.0.1:8080 ... \
#     deploy/nginx/render.sh /etc/nginx/clemency
# writes OUT_DIR/clemency.conf (include it in http {}: Debian, a link in /etc/nginx/sites-enabled/)
# and the files it includes. Every variable listed in clemency.conf must be set (CLEMENCY_CONF_DIR
# defaults to OUT_DIR); only those are replaced, nginx's own $variables are left alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: render.sh OUT_DIR}"
mkdir -p "$out"
export CLEMENCY_CONF_DIR="${CLEMENCY_CONF_DIR:-$(cd "$out" && pwd)}"
vars=(CLEMENCY_PUBLIC CLEMENCY_SERVE CLEMENCY_HTTP_LISTEN CLEMENCY_HTTPS_LISTEN CLEMENCY_SERVER_NAME
      CLEMENCY_TLS_CERT CLEMENCY_TLS_KEY CLEMENCY_CACHE_DIR CLEMENCY_DEFAULT_LANG CLEMENCY_ACME_ROOT
      CLEMENCY_CONF_DIR)
list=""
for v in "${vars[@]}"; do
  if [[ -z "${!v:-}" ]]; then echo "render.sh: $v is not set" >&2; exit 2; fi
  list+="\${$v} "
done
for f in clemency.conf clemency-locations.conf clemency-proxy.conf clemency-headers.conf; do
  envsubst "$list" <"$here/$f" >"$out/$f"
done
