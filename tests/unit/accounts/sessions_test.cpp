// Who is signed in: session ids rotated at every sign-in, idle and absolute timeouts, sign-out;
// bearer tokens kept hashed.
#include "accounts/sessions.h"

#include <catch2/catch.hpp>

#include "accounts/accounts.h"
#include "accounts/secrets.h"
#include "store/edits.h"
#include "support/fixture.h"

using namespace clemency;

TEST_CASE("sessions: a new id at every sign-in, timeouts, and sign-out ends it") {
  SessionTable table(SessionTable::Limits{1800, 43200});
  const int64_t t = 1'800'000'000;
  std::string first = table.Start("lan", t), second = table.Start("lan", t);
  CHECK(first != second);
  CHECK(first.size() >= 43);  // 32 random bytes
  auto found = table.Find(first, t + 60);
  REQUIRE(found);
  CHECK(found->user == "lan");
  CHECK(found->csrf.size() >= 43);
  CHECK(found->csrf != table.Find(second, t + 60)->csrf);
  CHECK_FALSE(table.Find("not-an-id", t));
  CHECK_FALSE(table.Find("", t));
  // Idle: each request moves the idle deadline on; 30 minutes without one ends the session.
  CHECK(table.Find(first, t + 1700));
  CHECK(table.Find(first, t + 3400));
  CHECK_FALSE(table.Find(second, t + 1861));
  // Absolute: 12 hours however busy.
  int64_t now = t + 3400;
  while (now < t + 43200) {
    now += 1700;
    if (now <= t + 43200) CHECK(table.Find(first, now));
  }
  CHECK_FALSE(table.Find(first, now));
  std::string third = table.Start("hoa", t);
  table.End(third);
  CHECK_FALSE(table.Find(third, t + 1));  // a replayed cookie after sign-out
  std::string fourth = table.Start("minh", t), fifth = table.Start("minh", t);
  table.EndAllFor("minh");
  CHECK_FALSE(table.Find(fourth, t + 1));
  CHECK_FALSE(table.Find(fifth, t + 1));
}

TEST_CASE("bearer tokens: shown once, stored as a hash, refused when revoked or disabled") {
  testing::TempDir dir;
  auto store = std::move(Store::Open(dir / "clemency.db")).value();
  const std::string now = "2026-12-02T03:00:00Z";
  REQUIRE(AddUser(store.get(), "test", "hoa", "publisher", "một mật khẩu dài", now).ok());
  auto token = CreateToken(store.get(), "test", "hoa", "máy đồng bộ", now);
  REQUIRE(token.ok());
  CHECK(token->rfind("clm_", 0) == 0);
  CHECK_FALSE(CreateToken(store.get(), "test", "nobody", "", now).ok());
  auto user = AuthenticateToken(store.get(), *token);
  REQUIRE(user.ok());
  CHECK(user->name == "hoa");
  CHECK_FALSE(AuthenticateToken(store.get(), *token + "x").ok());
  auto stmt = store->Prepare("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?1");
  stmt.value().Bind(1, *token);
  REQUIRE(stmt.value().Step());
  CHECK(stmt->Int(0) == 0);  // not the token itself
  auto rows = TokenRepository(store.get()).List();
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  REQUIRE(DisableUser(store.get(), "test", "hoa", now).ok());
  CHECK_FALSE(AuthenticateToken(store.get(), *token).ok());
  CHECK(SecretsEqual("abc", "abc"));
  CHECK_FALSE(SecretsEqual("abc", "abd"));
  CHECK_FALSE(SecretsEqual("abc", "abcd"));
  CHECK(SecretHash("x").size() == 64);
}

TEST_CASE("signed tokens: only the issuing signer's, unaltered and not too old, are valid") {
  TokenSigner signer, other;
  const int64_t t = 1'800'000'000;
  std::string token = signer.Issue(t);
  CHECK(token != signer.Issue(t));  // a fresh random part each time
  CHECK(signer.Valid(token, t, 1800));
  CHECK(signer.Valid(token, t + 1800, 1800));
  CHECK_FALSE(signer.Valid(token, t + 1801, 1800));  // too old
  CHECK_FALSE(signer.Valid(token, t - 1, 1800));     // from the future
  CHECK_FALSE(other.Valid(token, t, 1800));          // another server's (or before a restart)
  CHECK_FALSE(signer.Valid("x", t, 1800));
  CHECK_FALSE(signer.Valid("", t, 1800));
  std::string later = token;
  size_t dot = later.find('.');
  later.replace(dot + 1, 10, std::to_string(t + 5));  // a later time under the old MAC
  CHECK_FALSE(signer.Valid(later, t + 5, 1800));
  std::string flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  CHECK_FALSE(signer.Valid(flipped, t, 1800));
}

TEST_CASE("secrets: HMAC-SHA256 as RFC 4231 gives it") {
  // RFC 4231, test cases 2 and 6 (a key longer than the block is hashed first).
  CHECK(HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(HmacSha256Hex(std::string(131, '\xaa'),
                      "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
