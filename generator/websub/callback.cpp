#include "websub/callback.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace clemency::websub {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool PrivateV4(const unsigned char* a) {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
         (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
         (a[0] == 100 && (a[1] & 0xc0) == 64) || (a[0] == 192 && a[1] == 0 && a[2] == 0) ||
         (a[0] == 198 && (a[1] & 0xfe) == 18) || a[0] >= 224;
}

bool PrivateV6(const unsigned char* a) {
  static const unsigned char kZero[16] = {};
  if (std::memcmp(a, kZero, 15) == 0 && (a[15] == 0 || a[15] == 1)) return true;  // ::, ::1
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a, kMapped, 12) == 0) return PrivateV4(a + 12);
  return (a[0] & 0xfe) == 0xfc ||                 // fc00::/7 unique local
         (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||  // fe80::/10 link-local
         a[0] == 0xff;                             // multicast
}

// Splits "host[:port]" (host may be "[v6]"); false when malformed.
bool SplitAuthority(const std::string& authority, CallbackUrl* url) {
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return false;
    url->host = authority.substr(1, close - 1);
    std::string rest = authority.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return false;
    if (!rest.empty()) port = rest.substr(1);
  } else {
    size_t colon = authority.find(':');
    url->host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  url->port = url->scheme == "https" ? 443 : 80;
  if (port.empty()) return !url->host.empty();
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return false;
  url->port = std::stoi(port);
  return !url->host.empty() && url->port > 0 && url->port < 65536;
}

}  // namespace

std::string CallbackUrl::Origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<CallbackUrl> ParseCallback(const std::string& text) {
  if (text.size() > 2000) return Status::Error("is longer than 2,000 bytes");
  size_t colon = text.find("://");
  if (colon == std::string::npos) return Status::Error("is not an absolute http(s) URL");
  CallbackUrl url;
  url.scheme = Lower(text.substr(0, colon));
  if (url.scheme != "http" && url.scheme != "https") {
    return Status::Error("must be an http or https URL");
  }
  for (unsigned char c : text) {
    if (c <= 0x20 || c >= 0x7f) return Status::Error("has a space, control or non-ASCII character");
  }
  if (text.find('#') != std::string::npos) return Status::Error("must not have a fragment");
  size_t start = colon + 3;
  size_t end = text.find_first_of("/?", start);
  std::string authority = text.substr(start, end == std::string::npos ? end : end - start);
  if (authority.find('@') != std::string::npos) return Status::Error("must not name a user");
  if (!SplitAuthority(authority, &url)) return Status::Error("has no valid host and port");
  url.host = Lower(url.host);
  url.target = end == std::string::npos ? "/" : text.substr(end);
  if (url.target[0] == '?') url.target = "/" + url.target;
  return url;
}

bool IsPrivateAddress(const std::string& address) {
  unsigned char bytes[16];
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1) return PrivateV4(bytes);
  if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) return PrivateV6(bytes);
  return true;  // not an address: never contacted
}

Result<std::string> ResolveCallbackHost(const std::string& host, bool allow_private) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return Status::Error("host " + host + " cannot be resolved: " + gai_strerror(rc));
  }
  std::vector<std::string> addresses;
  for (addrinfo* a = found; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* raw = a->ai_family == AF_INET
                          ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
                          : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    if (inet_ntop(a->ai_family, raw, text, sizeof text)) addresses.push_back(text);
  }
  freeaddrinfo(found);
  if (addresses.empty()) return Status::Error("host " + host + " has no address");
  for (const auto& address : addresses) {
    if (!allow_private && IsPrivateAddress(address)) {
      return Status::Error("host " + host + " is a private, loopback or reserved address (" +
                           address + ")");
    }
  }
  return addresses.front();
}

bool HostAllowed(const std::string& host, const std::vector<std::string>& hosts) {
  if (hosts.empty()) return true;
  return std::any_of(hosts.begin(), hosts.end(),
                     [&host](const std::string& h) { return Lower(h) == Lower(host); });
}

}  // namespace clemency::websub
