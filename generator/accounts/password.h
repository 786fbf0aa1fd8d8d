#pragma once
// Password hashing, the only place that includes sodium.h (Debian's libsodium): Argon2id, a
// memory-hard function, through crypto_pwhash_str with libsodium's "moderate" limits.
#include <cstddef>
#include <string>

#include "core/status.h"

namespace clemency {

// The password as an encoded Argon2id string ("$argon2id$v=19$m=…"), salted afresh each time.
Result<std::string> HashPassword(const std::string& password);
// True when `password` is the one `hash` (from HashPassword) was made from.
bool VerifyPassword(const std::string& hash, const std::string& password);
// The memory one hash or check holds while it runs (Argon2id's memory cost), in bytes.
size_t PasswordCheckBytes();

}  // namespace clemency
