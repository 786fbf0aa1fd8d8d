#pragma once
// A WebSub subscriber's callback URL: read, and judged safe to contact. The hub sends requests
// to any address a stranger names, so a callback on this machine or a private network (the
// store's serve, a router's admin page, a cloud's metadata service) is refused: a server-side
// request forgery otherwise.
#include <string>
#include <vector>

#include "core/status.h"

namespace clemency::websub {

struct CallbackUrl {
  std::string scheme;  // http or https
  std::string host;    // as written (an IPv6 literal without its brackets)
  int port = 0;
  std::string target;  // path and query, "/" at least
  // "scheme://host:port" for an HTTP client (brackets around an IPv6 literal).
  std::string Origin() const;
};

// Returns the parts of `url`: http or https, a host, an optional port, no user name or
// fragment, at most 2,000 bytes; else an error saying what is wrong with it.
Result<CallbackUrl> ParseCallback(const std::string& url);

// True for an address (IPv4 or IPv6 text) no callback may reach: unspecified, loopback,
// private (RFC 1918, fc00::/7), shared (100.64/10), link-local, multicast or reserved, and an
// IPv4-mapped IPv6 address of one of those.
bool IsPrivateAddress(const std::string& address);

// Resolves `host` and returns an address to connect to: the first one, when every address it
// has may be reached (`allow_private`: any address may). Connecting to the address returned,
// not to the name again, keeps a second lookup from answering differently (DNS rebinding).
Result<std::string> ResolveCallbackHost(const std::string& host, bool allow_private);

// True when `host` is allowed by `hosts` (empty: every host), compared without case.
bool HostAllowed(const std::string& host, const std::vector<std::string>& hosts);

}  // namespace clemency::websub
