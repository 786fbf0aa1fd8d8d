#!/usr/bin/env bash
# `clemency serve` as a user runs it: imports content/ into a new store file, binds to loopback,
# logs each request, stops cleanly on SIGTERM, and reuses the store on the next start.
set -euo pipefail
clemency=$1
src=$2
tmp=$(mktemp -d)
pid=
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cp -r "$src/site" "$src/content" "$tmp/"
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$tmp/out.log"; echo "--- stderr"; tail -20 "$tmp/err.log"; exit 1; }

start() {
  # Emptied here, not only by the child's redirection: the loop below must not find the last
  # run's "Serving on" line before the new process has truncated the file.
  : >"$tmp/out.log"
  : >"$tmp/err.log"
  "$clemency" serve --source "$tmp" --port 0 >"$tmp/out.log" 2>"$tmp/err.log" &
  pid=$!
  for _ in $(seq 1 300); do
    grep -q "Serving on" "$tmp/out.log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || fail "server exited early"
    sleep 0.1
  done
  port=$(sed -n 's|^Serving on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out.log")
  [[ -n "$port" ]] || fail "no 'Serving on http://127.0.0.1:PORT/' line"
}
stop() {
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  pid=
  [[ $status -eq 0 ]] || fail "exit status $status after SIGTERM"
  grep -q "clemency: stopped" "$tmp/out.log" || fail "no clean stop message"
}

start
grep -q "new store $tmp/var/clemency.db: importing content/" "$tmp/out.log" || fail "content/ was not imported"
[[ -s "$tmp/var/clemency.db" ]] || fail "no store file"
[[ "$(curl -s "http://127.0.0.1:$port/healthz")" == "ok" ]] || fail "/healthz"
[[ "$(curl -s "http://127.0.0.1:$port/readyz")" == "ready" ]] || fail "/readyz"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/vi/")" == "200" ]] || fail "/vi/"
# The line is written just after the response is sent: allow it a moment.
for _ in $(seq 1 50); do grep -qE "^GET /vi/ 200 [0-9]+ [0-9.]+ms$" "$tmp/err.log" && break; sleep 0.05; done
grep -qE "^GET /vi/ 200 [0-9]+ [0-9.]+ms$" "$tmp/err.log" || fail "no request log line (method path status bytes duration)"
# The self-check: its computed question answers with a redirect, sets no cookie, and the log line
# holds the path only, never the answers in the query string.
headers=$(curl -s -D - -o /dev/null "http://127.0.0.1:$port/vi/self-check/time-fixed/?sentence_years=9&sentence_months=&served_years=3&served_months=7")
grep -qi "^location: /vi/self-check/excluded/" <<<"$headers" || fail "self-check time question: $headers"
grep -qi "^set-cookie" <<<"$headers" && fail "the self-check set a cookie: $headers"
# Bad numbers: the question's page again (400), the message next to the wrong box, the numbers kept.
bad=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$port/en/self-check/time-fixed/?sentence_years=9&sentence_months=&served_years=10&served_months=")
[[ "$(tail -n1 <<<"$bad")" == "400" ]] || fail "self-check bad numbers: not 400"
grep -q 'for="served_years">Time served (years)</label> <strong class="field-error" id="served_years-error">The time served cannot be longer than the sentence' <<<"$bad" || fail "self-check bad numbers: no message next to the box"
grep -q 'id="served_years" aria-invalid="true" aria-describedby="served_years-error" name="served_years" value="10"' <<<"$bad" || fail "self-check bad numbers: box not marked or value lost"
bad=$(curl -s "http://127.0.0.1:$port/vi/self-check/time-fixed/?sentence_years=9&sentence_months=14&served_years=3&served_months=")
grep -q 'id="sentence_months-error">Số tháng phải từ 0 đến 11.' <<<"$bad" || fail "self-check bad months: no message"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/vi/self-check/result/may/")" == "200" ]] || fail "/vi/self-check/result/may/"
for _ in $(seq 1 50); do grep -qE "^GET /vi/self-check/time-fixed/ 303 " "$tmp/err.log" && break; sleep 0.05; done
grep -qE "^GET /vi/self-check/time-fixed/ 303 [0-9]+ [0-9.]+ms$" "$tmp/err.log" || fail "no log line for the self-check"
grep -q "served_years\|sentence_years\|served_months" "$tmp/err.log" && fail "a self-check answer reached the log"
# / with Accept-Language goes to that language; without, the static language choice.
[[ "$(curl -s -o /dev/null -w '%{redirect_url}' -H 'Accept-Language: km-KH,en;q=0.5' "http://127.0.0.1:$port/")" == "http://127.0.0.1:$port/km/" ]] || fail "/ with Accept-Language: km"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" == "200" ]] || fail "/ without Accept-Language"
if command -v ss >/dev/null; then
  # Only this server's sockets: another test may listen on the same port number elsewhere.
  ours=$(ss -ltnp | grep "pid=$pid," || true)
  grep -q "127.0.0.1:$port " <<<"$ours" || fail "not listening on 127.0.0.1:$port"
  grep -vq "127.0.0.1:$port " <<<"$ours" && fail "listening beyond loopback: $ours"
fi
stop

# Second start: the store is the source of truth and is reused, not re-imported.
start
grep -q "serving the [0-9]* pages of $tmp/var/clemency.db" "$tmp/out.log" || fail "store not reused"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/pages?lang=en")" == "200" ]] || fail "API after restart"

# A contact imported while serving goes into the store, and the page and the API both show it.
slug=$(cd "$tmp/content/support" && ls ./*.vi.md | grep -v _index | head -1 | sed 's|^./||; s|\.vi\.md$||')
printf 'slug,phone,address,hours,verified,verified_by\n%s,0299 3 777 111,,,2026-11-30,Công an phường\n' "$slug" >"$tmp/contacts.csv"
"$clemency" import support "$tmp/contacts.csv" --source "$tmp" >"$tmp/import.log" 2>&1 || fail "import support: $(cat "$tmp/import.log")"
grep -q "in the store $tmp/var/clemency.db" "$tmp/import.log" || fail "import support did not say it wrote to the store"
grep -q "0299 3 777 111" "$tmp/content/support/$slug.vi.md" && fail "import support wrote content/ although a store exists"
shown=
for _ in $(seq 1 50); do
  page=$(curl -s "http://127.0.0.1:$port/vi/support/$slug/")
  api=$(curl -s "http://127.0.0.1:$port/api/v1/support.csv?lang=vi")
  if grep -q "0299 3 777 111" <<<"$page" && grep -q "0299 3 777 111" <<<"$api"; then shown=1; break; fi
  sleep 0.1
done
[[ -n "$shown" ]] || fail "the imported contact is not on both the page and the API within 5 s"

# An editor publishes a new title while serving: the page, the feed and the API agree on it.
mkdir -p "$tmp/edits/guides"
sed 's/^title: .*/title: "Tiêu đề vừa sửa"/' "$tmp/content/guides/dac-xa-la-gi.vi.md" >"$tmp/edits/guides/dac-xa-la-gi.vi.md"
"$clemency" publish "$tmp/edits/guides/dac-xa-la-gi.vi.md" --source "$tmp" --note "Sửa tiêu đề." >"$tmp/publish.log" 2>&1 ||
  fail "publish: $(cat "$tmp/publish.log")"
shown=
for _ in $(seq 1 50); do
  page=$(curl -s "http://127.0.0.1:$port/vi/guides/dac-xa-la-gi/")
  feed=$(curl -s "http://127.0.0.1:$port/vi/feed.atom")
  api=$(curl -s "http://127.0.0.1:$port/api/v1/pages/guides/dac-xa-la-gi?lang=vi")
  if grep -q "Tiêu đề vừa sửa" <<<"$page" && grep -q "Tiêu đề vừa sửa" <<<"$feed" &&
     grep -q '"change_type":"major","change_note":"Sửa tiêu đề."' <<<"$api"; then shown=1; break; fi
  sleep 0.1
done
[[ -n "$shown" ]] || fail "the published title is not on the page, in the feed and in the API within 5 s"
grep -q "live on the running serve" "$tmp/publish.log" || fail "publish did not go through the running serve: $(cat "$tmp/publish.log")"
grep -Eq '^clemency_publishes_total [1-9]' <<<"$(curl -s "http://127.0.0.1:$port/metrics")" ||
  fail "/metrics does not count the publish"
# `clemency build` beside the store builds from it too: it cannot make the pages disagree with the API.
"$clemency" build --source "$tmp" --out "$tmp/public" >"$tmp/build.log" 2>&1 || fail "build beside a store: $(cat "$tmp/build.log")"
grep -q "building from the store" "$tmp/build.log" || fail "build did not say it builds from the store"
grep -q "Tiêu đề vừa sửa" "$tmp/public/vi/guides/dac-xa-la-gi/index.html" || fail "build beside a store reverted a published change"

# Two stories no other page links to: one withdrawn (its URL shows a notice), one removed (410).
unlinked=()
for file in "$tmp"/content/stories/*.vi.md; do
  story=$(basename "$file" .vi.md)
  [[ "$story" == _index ]] && continue
  grep -rq "stories/$story" "$tmp/content" || unlinked+=("$story")
done
(( ${#unlinked[@]} >= 2 )) || fail "the test needs two stories no page links to"
"$clemency" unpublish "stories/${unlinked[0]}" --source "$tmp" --reason "Gỡ theo yêu cầu." >"$tmp/unpublish.log" 2>&1 ||
  fail "unpublish: $(cat "$tmp/unpublish.log")"
"$clemency" unpublish "stories/${unlinked[1]}" --source "$tmp" --reason "Sai." --gone >>"$tmp/unpublish.log" 2>&1 ||
  fail "unpublish --gone: $(cat "$tmp/unpublish.log")"
shown=
for _ in $(seq 1 50); do
  notice=$(curl -s "http://127.0.0.1:$port/vi/stories/${unlinked[0]}/")
  gone=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/vi/stories/${unlinked[1]}/")
  api=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/pages/stories/${unlinked[0]}?lang=vi")
  if grep -q "Gỡ theo yêu cầu." <<<"$notice" && [[ "$gone" == 410 && "$api" == 410 ]]; then shown=1; break; fi
  sleep 0.1
done
[[ -n "$shown" ]] || fail "withdrawn and removed stories not shown as such within 5 s (notice, 410, API 410)"
stop

# Content in the store that fails a check (a newer program's rules, or a bad write) does not
# take the site down: serve reports it and keeps serving what was last built.
/usr/bin/python3 - "$tmp/var/clemency.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE pages SET source_text = '---\ntitle: broken' WHERE id = (SELECT min(id) FROM pages)")
db.commit()
PY
start
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/vi/")" == "200" ]] || fail "site not served with bad stored content"
grep -q "serving the site last built" "$tmp/err.log" || fail "bad stored content not reported"
stop

# A bad option is a usage error, not a crash.
set +e
"$clemency" serve --source "$tmp" --port 99999 >/dev/null 2>&1
[[ $? -eq 2 ]] || fail "--port 99999 should exit 2"
set -e
echo "serve: import, loopback bind, request log, SIGTERM, store reuse, republish on a store change (import, publish, unpublish) and bad stored content all ok"
