#include "core/datetime.h"

#include <catch2/catch.hpp>

#include "core/status.h"
#include "core/text.h"

using namespace clemency;

TEST_CASE("dates without a time take the site's offset") {
  auto d = ParseDateTime("2026-11-20", 420);
  REQUIRE(d);
  CHECK(d->ToRfc3339() == "2026-11-20T00:00:00+07:00");
  CHECK(d->unix_seconds == 1795107600);  // 2026-11-19T17:00:00Z
  CHECK_FALSE(d->has_time);
}

TEST_CASE("RFC 3339 offsets and Z are honoured") {
  auto a = ParseDateTime("2026-03-01T10:00:00+07:00", 0);
  auto b = ParseDateTime("2026-03-01T03:00:00Z", 420);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a == *b);
  CHECK(b->ToRfc3339() == "2026-03-01T03:00:00Z");
  CHECK(a->ToRfc822() == "Sun, 01 Mar 2026 10:00:00 +0700");
}

TEST_CASE("impossible dates are rejected") {
  CHECK_FALSE(ParseDateTime("2026-02-29", 0));
  CHECK(ParseDateTime("2028-02-29", 0));
  CHECK_FALSE(ParseDateTime("2026-13-01", 0));
  CHECK_FALSE(ParseDateTime("20 Nov 2026", 0));
  CHECK_FALSE(ParseDateTime("2026-11-20T25:00", 0));
  CHECK_FALSE(ParseDateTime("2026-11-20T10:00+0700", 0));
}

TEST_CASE("diagnostics print file:line: field: message, sorted") {
  Diagnostics d;
  d.Add("b.md", 3, "title", Diag::check_required);
  d.Add("a.md", 9, "", PlainProblem("bad"));
  d.Add("a.md", 2, "date", PlainProblem("wrong"));
  CHECK(d.ToString() == "a.md:2: date: wrong\na.md:9: bad\nb.md:3: title: is required\n");
}

TEST_CASE("escaping and slugs") {
  CHECK(EscapeHtml("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(JsonString("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
  CHECK(IsSlug("quy-trinh-2"));
  CHECK_FALSE(IsSlug("Quy-trinh"));
  CHECK_FALSE(IsSlug("a--b"));
  CHECK_FALSE(IsSlug("-a"));
  CHECK(HashHex("abc") == HashHex("abc"));
  CHECK(HashHex("abc") != HashHex("abd"));
}
