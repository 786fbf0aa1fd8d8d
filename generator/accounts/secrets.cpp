#include "accounts/secrets.h"

#include <sodium.h>

#include <vector>

namespace clemency {

std::string RandomSecret(size_t bytes) {
  if (sodium_init() < 0) return "";
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string SecretHash(const std::string& secret) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  char hex[2 * sizeof hash + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

std::string HmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  // Any key length: HMAC hashes a key longer than the block, which libsodium's init does too.
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

bool SecretsEqual(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

TokenSigner::TokenSigner() {
  static_assert(sizeof key_ == crypto_auth_KEYBYTES);
  if (sodium_init() < 0) return;  // then every Valid is false: no sign-in form is accepted
  crypto_auth_keygen(key_.data());
}

std::string TokenSigner::Mac(const std::string& message) const {
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
              key_.data());
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

std::string TokenSigner::Issue(int64_t now) const {
  std::string message = RandomSecret(16) + "." + std::to_string(now);
  return message + "." + Mac(message);
}

bool TokenSigner::Valid(const std::string& token, int64_t now, int64_t max_age) const {
  size_t last = token.rfind('.');
  if (last == std::string::npos || token.size() > 256) return false;
  std::string message = token.substr(0, last);
  if (!SecretsEqual(Mac(message), token.substr(last + 1))) return false;
  size_t dot = message.rfind('.');
  std::string issued = dot == std::string::npos ? "" : message.substr(dot + 1);
  if (issued.empty() || issued.size() > 18 ||
      issued.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  int64_t at = std::stoll(issued);
  return at <= now && now - at <= max_age;
}

}  // namespace clemency
