#pragma once
// Editors' accounts: who may draft (editor), approve and publish (publisher) or manage accounts
// (admin). Every change to an account is written to the audit log.
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"
#include "store/users.h"

namespace clemency {

// An account name: 2 to 64 of a–z, 0–9, '.', '_' and '-'.
bool IsAccountName(const std::string& name);
// editor, publisher or admin.
bool IsRole(const std::string& role);
// Ok when `password` may be the new password of `name`: at least 12 characters, not containing
// the name, and passing libpwquality (no dictionary word, common password or simple pattern);
// else an error saying why, followed by the whole rule.
Status CheckNewPassword(const std::string& name, const std::string& password);
// The rule CheckNewPassword holds to, as a sentence (the admin's catalogs say it in vi and en).
const char* PasswordRule();

// Creates the account `name` with `role` and `password` (hashed with Argon2id) at `now`, and
// records it as done by `actor`. Refuses a bad name, role or password, or a name in use.
Status AddUser(Store* store, const std::string& actor, const std::string& name,
               const std::string& role, const std::string& password, const std::string& now);
// Stops `name` from signing in (the account and its history stay), recorded as done by `actor`.
Status DisableUser(Store* store, const std::string& actor, const std::string& name,
                   const std::string& now);
// The account `name` when `password` is its password and it is not disabled; else an error
// that does not say which of the two was wrong.
Result<UserRow> Authenticate(Store* store, const std::string& name, const std::string& password);

}  // namespace clemency
