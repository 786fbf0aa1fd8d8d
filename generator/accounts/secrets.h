#pragma once
// Random secrets (session ids, CSRF tokens, bearer tokens) and their stored form, through
// libsodium like the password hashes.
#include <array>
#include <cstdint>
#include <string>

namespace clemency {

// `bytes` random bytes from the system's generator as URL-safe base64 without padding.
std::string RandomSecret(size_t bytes = 32);
// A secret's stored form: BLAKE2b-256, hex. A random 256-bit secret needs no salt or slow hash.
std::string SecretHash(const std::string& secret);
// Returns HMAC-SHA256 of `message` under `key` (any length) as lowercase hex (RFC 2104; what a
// WebSub hub's X-Hub-Signature: sha256=… carries).
std::string HmacSha256Hex(const std::string& key, const std::string& message);
// Compares in time independent of where the two differ.
bool SecretsEqual(const std::string& a, const std::string& b);

// Tokens the server issued and recognises without keeping a list: "<random>.<unix time>.<MAC>",
// the MAC (libsodium's crypto_auth, HMAC-SHA-512-256) under a key made at start and held only in
// memory, so a restart voids the tokens not yet used.
class TokenSigner {
 public:
  TokenSigner();
  std::string Issue(int64_t now) const;
  // True when `token` came from Issue of this signer at most `max_age` seconds before `now`.
  bool Valid(const std::string& token, int64_t now, int64_t max_age) const;

 private:
  std::string Mac(const std::string& message) const;
  std::array<unsigned char, 32> key_;
};

}  // namespace clemency
