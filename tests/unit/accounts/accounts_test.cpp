// Editors' accounts: Argon2id hashes, the rules for names, roles and passwords, the audit log,
// and `clemency user` reading the password from stdin, never from the command line.
#include "accounts/accounts.h"

#include <catch2/catch.hpp>

#include "accounts/password.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

std::unique_ptr<Store> OpenTestStore(const std::string& path) {
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  return std::move(store).value();
}

}  // namespace

TEST_CASE("passwords are kept as salted Argon2id hashes") {
  auto first = HashPassword("một mật khẩu dài");
  auto second = HashPassword("một mật khẩu dài");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->rfind("$argon2id$", 0) == 0);
  CHECK(*first != *second);  // a new salt each time
  CHECK(VerifyPassword(*first, "một mật khẩu dài"));
  CHECK(VerifyPassword(*second, "một mật khẩu dài"));
  CHECK_FALSE(VerifyPassword(*first, "một mật khẩu dai"));
  CHECK_FALSE(VerifyPassword("not a hash", "một mật khẩu dài"));
}

TEST_CASE("accounts: a new password is judged by libpwquality and may not hold the name") {
  // The three the second attack test got accepted, and others like them.
  for (const char* weak : {"aaaaaaaaaaaa", "password1234", "Password1234", "123456789012",
                           "qwertyuiopas", "abcdefghijkl"}) {
    Status s = CheckNewPassword("lan", weak);
    INFO(weak << ": " << s.message());
    CHECK_FALSE(s.ok());
    CHECK(s.message().find("must not be a dictionary word") != std::string::npos);  // the rule
  }
  Status named = CheckNewPassword("minh", "Minh-mat-khau-dai-3");
  CHECK(named.message().rfind("the password is refused (it contains the account's name)", 0) == 0);
  CHECK_FALSE(CheckNewPassword("lan", "lan-lan-lan-lan").ok());
  CHECK_FALSE(CheckNewPassword("an", "an").ok());
  // A two-letter name is refused only as the whole password: "an" is inside many good ones.
  CHECK(CheckNewPassword("an", "quan-tri-vien-so-5").ok());
  for (const char* good : {"bien-tap-vien-mot", "ca-phe-sua-da-buoi-sang", "đủ dài để dùng",
                           "một mật khẩu dài"}) {
    Status s = CheckNewPassword("lan", good);
    INFO(good << ": " << s.message());
    CHECK(s.ok());
  }
}

TEST_CASE("accounts: names, roles and passwords are checked; changes are audited") {
  testing::TempDir dir;
  auto store = OpenTestStore(dir / "clemency.db");
  const std::string now = "2026-12-02T03:00:00Z";
  CHECK(AddUser(store.get(), "test", "Lan", "editor", "đủ dài để dùng", now).message().find(
            "not an account name") != std::string::npos);
  CHECK(AddUser(store.get(), "test", "lan", "owner", "đủ dài để dùng", now).message() ==
        "--role must be editor, publisher or admin, not 'owner'");
  CHECK(AddUser(store.get(), "test", "lan", "editor", "ngắn", now).message().rfind(
            "the password is refused (it is shorter than 12 characters). A password needs", 0) == 0);
  REQUIRE(AddUser(store.get(), "test", "lan", "editor", "đủ dài để dùng", now).ok());
  CHECK(AddUser(store.get(), "test", "lan", "admin", "một mật khẩu khác", now).message() ==
        "there is already an account named 'lan'");
  auto signed_in = Authenticate(store.get(), "lan", "đủ dài để dùng");
  REQUIRE(signed_in.ok());
  CHECK(signed_in->role == "editor");
  CHECK_FALSE(Authenticate(store.get(), "lan", "sai mật khẩu rồi").ok());
  CHECK_FALSE(Authenticate(store.get(), "nobody", "đủ dài để dùng").ok());
  REQUIRE(DisableUser(store.get(), "test", "lan", now).ok());
  CHECK_FALSE(Authenticate(store.get(), "lan", "đủ dài để dùng").ok());
  CHECK_FALSE(DisableUser(store.get(), "test", "lan", now).ok());
  auto audit = AuditLog(store.get()).Recent(10);
  REQUIRE(audit.ok());
  REQUIRE(audit->size() == 2);
  CHECK(audit->at(0).action == "user.disable");
  CHECK(audit->at(1).action == "user.add");
  CHECK(audit->at(1).detail == "role editor");
}

TEST_CASE("clemency user reads the password from stdin and never stores it in the clear") {
  testing::TempDir dir;
  const std::string db = dir / "clemency.db";
  const std::string cli = std::string(CLEMENCY_BINARY) + " user ";
  std::string output;
  REQUIRE(testing::RunCommand("printf 'mật khẩu của chị ấy\\n' | " + cli + "add hoa --role publisher --db " + db,
                              &output) == 0);
  CHECK(output.find("account hoa (publisher) added") != std::string::npos);
  CHECK(testing::RunCommand("printf 'ngắn\\n' | " + cli + "add binh --role editor --db " + db,
                            &output) != 0);
  CHECK(output.find("shorter than 12 characters") != std::string::npos);
  CHECK(testing::RunCommand("printf 'password1234\\n' | " + cli + "add binh --role editor --db " + db,
                            &output) != 0);
  CHECK(output.find("must not be a dictionary word") != std::string::npos);
  REQUIRE(testing::RunCommand(cli + "list --db " + db, &output) == 0);
  CHECK(output.find("hoa") != std::string::npos);
  CHECK(output.find("publisher") != std::string::npos);
  CHECK(output.find("binh") == std::string::npos);
  CHECK(testing::ReadFile(db).find("mật khẩu của chị ấy") == std::string::npos);
  auto store = OpenTestStore(db);
  CHECK(Authenticate(store.get(), "hoa", "mật khẩu của chị ấy").ok());
}
