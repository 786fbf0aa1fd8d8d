// WebSub callbacks: what a callback URL may be, and which addresses the hub never contacts.
#include "websub/callback.h"

#include <catch2/catch.hpp>

using namespace clemency::websub;

TEST_CASE("websub: callback URLs are http(s), with a host, no user and no fragment") {
  auto url = ParseCallback("https://News.example:8443/hooks?feed=vi");
  REQUIRE(url.ok());
  CHECK(url->scheme == "https");
  CHECK(url->host == "news.example");
  CHECK(url->port == 8443);
  CHECK(url->target == "/hooks?feed=vi");
  CHECK(url->Origin() == "https://news.example:8443");
  auto bare = ParseCallback("http://example.org?x=1");
  REQUIRE(bare.ok());
  CHECK(bare->port == 80);
  CHECK(bare->target == "/?x=1");
  auto v6 = ParseCallback("http://[2001:db8::1]:81/cb");
  REQUIRE(v6.ok());
  CHECK(v6->host == "2001:db8::1");
  CHECK(v6->Origin() == "http://[2001:db8::1]:81");
  for (const char* bad : {"ftp://example.org/", "example.org/cb", "http://user@example.org/",
                          "http://example.org/#x", "http://:80/", "http://example.org:99999/",
                          "http://exa mple.org/", "http://example.org:8a/"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseCallback(bad).ok());
  }
  CHECK_FALSE(ParseCallback("http://example.org/" + std::string(2000, 'a')).ok());
}

TEST_CASE("websub: private, loopback and reserved addresses are never callbacks") {
  for (const char* address : {"127.0.0.1", "10.0.0.5", "172.16.0.1", "172.31.255.255",
                              "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                              "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1",
                              "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                              "not-an-address"}) {
    CAPTURE(address);
    CHECK(IsPrivateAddress(address));
  }
  for (const char* address : {"93.184.216.34", "172.32.0.1", "8.8.8.8", "2001:4860::8888",
                              "::ffff:8.8.8.8"}) {
    CAPTURE(address);
    CHECK_FALSE(IsPrivateAddress(address));
  }
  CHECK_FALSE(ResolveCallbackHost("127.0.0.1", false).ok());
  CHECK(ResolveCallbackHost("127.0.0.1", true).value() == "127.0.0.1");
  CHECK_FALSE(ResolveCallbackHost("localhost", false).ok());
}

TEST_CASE("websub: the allowed hosts list, when given, is the only hosts contacted") {
  CHECK(HostAllowed("news.example", {}));
  CHECK(HostAllowed("News.Example", {"news.example"}));
  CHECK_FALSE(HostAllowed("other.example", {"news.example"}));
}
