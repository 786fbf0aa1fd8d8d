#pragma once
// Random secrets (session ids, CSRF tokens, bearer tokens) and their stored form, through
// libsodium like the password hashes.
#include <string>

namespace clemency {

// `bytes` random bytes from the system's generator as URL-safe base64 without padding.
std::string RandomSecret(size_t bytes = 32);
// A secret's stored form: BLAKE2b-256, hex. A random 256-bit secret needs no salt or slow hash.
std::string SecretHash(const std::string& secret);
// Compares in time independent of where the two differ.
bool SecretsEqual(const std::string& a, const std::string& b);

}  // namespace clemency
