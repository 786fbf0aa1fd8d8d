#pragma once
// Secrets a server must read back, not only compare (a WebSub subscriber's signing secret),
// sealed at rest with libsodium's secretbox (XSalsa20-Poly1305) under a key kept in a file apart
// from the store: a copy of the store alone (a backup) does not reveal them.
#include <array>
#include <string>

#include "core/status.h"

namespace clemency {

class SecretSealer {
 public:
  // Reads the 32-byte key at `path`, or makes one there (owner-only) when no file is.
  static Result<SecretSealer> Open(const std::string& path);
  // Returns the stored form of `plain`: "sealed1:" and base64 of a fresh nonce and the box.
  std::string Seal(const std::string& plain) const;
  // Returns the plaintext `stored` holds; an error when another key sealed it or it is damaged.
  Result<std::string> Unseal(const std::string& stored) const;
  // True when `stored` is a sealed form (a store from before sealing holds plaintext).
  static bool IsSealed(const std::string& stored);

 private:
  std::array<unsigned char, 32> key_{};
};

}  // namespace clemency
