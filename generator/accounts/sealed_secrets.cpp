#include "accounts/sealed_secrets.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace clemency {
namespace {

constexpr char kPrefix[] = "sealed1:";
constexpr int kBase64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// Writes a new random key to `path` (O_EXCL: never over another process's key).
Status MakeKey(const std::string& path, std::array<unsigned char, 32>* key) {
  randombytes_buf(key->data(), key->size());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error(path + ": cannot create the key: " + std::strerror(errno));
  const bool written = ::write(fd, key->data(), key->size()) == static_cast<ssize_t>(key->size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Status::Error(path + ": cannot write the key: " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

Result<SecretSealer> SecretSealer::Open(const std::string& path) {
  if (sodium_init() < 0) return Status::Error("libsodium cannot start");
  SecretSealer sealer;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    Status made = MakeKey(path, &sealer.key_);
    if (made.ok()) return sealer;
    if (errno != EEXIST) return made;  // else another process made it first: read theirs
    return Open(path);
  }
  if (fd < 0) return Status::Error(path + ": cannot read the key: " + std::strerror(errno));
  const ssize_t n = ::read(fd, sealer.key_.data(), sealer.key_.size());
  char extra;
  const bool exact = n == static_cast<ssize_t>(sealer.key_.size()) && ::read(fd, &extra, 1) == 0;
  ::close(fd);
  if (!exact) return Status::Error(path + ": not a key (32 bytes expected)");
  return sealer;
}

std::string SecretSealer::Seal(const std::string& plain) const {
  std::vector<unsigned char> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 plain.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                        out.data(), key_.data());
  std::string text(sodium_base64_ENCODED_LEN(out.size(), kBase64), '\0');
  sodium_bin2base64(text.data(), text.size(), out.data(), out.size(), kBase64);
  text.resize(std::strlen(text.c_str()));
  return kPrefix + text;
}

Result<std::string> SecretSealer::Unseal(const std::string& stored) const {
  if (!IsSealed(stored)) return Status::Error("not a sealed secret");
  const std::string text = stored.substr(sizeof kPrefix - 1);
  std::vector<unsigned char> raw(text.size());
  size_t length = 0;
  if (sodium_base642bin(raw.data(), raw.size(), text.data(), text.size(), nullptr, &length,
                        nullptr, kBase64) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Status::Error("a damaged sealed secret");
  }
  std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 raw.data() + crypto_secretbox_NONCEBYTES,
                                 length - crypto_secretbox_NONCEBYTES, raw.data(),
                                 key_.data()) != 0) {
    return Status::Error("sealed under another key (the key file was replaced or not restored)");
  }
  return plain;
}

bool SecretSealer::IsSealed(const std::string& stored) {
  return stored.rfind(kPrefix, 0) == 0;
}

}  // namespace clemency
