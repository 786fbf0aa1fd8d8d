#include "accounts/password.h"

#include <sodium.h>

namespace clemency {
namespace {

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Result<std::string> HashPassword(const std::string& password) {
  if (!SodiumReady()) return Status::Error("libsodium could not be initialised");
  char out[crypto_pwhash_STRBYTES];
  // Moderate: 256 MiB and 3 passes, about half a second here; an account is made or signs in
  // rarely, and a stolen store then costs an attacker as much per guess.
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Error("cannot hash the password (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  if (!SodiumReady() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

size_t PasswordCheckBytes() { return crypto_pwhash_MEMLIMIT_MODERATE; }

}  // namespace clemency
