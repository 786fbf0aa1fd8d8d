#include "site_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#include "publish/store_site.h"
#include "render/site.h"
#include "selfcheck/rules.h"
#include "server/server.h"
#include "support/fixture.h"

namespace clemency::fuzz {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz fixture: %s\n", what.c_str());
  std::abort();
}

// The server and everything it points at live until the process exits.
struct ServedSite {
  testing::TempDir dir;
  std::unique_ptr<Site> site;
  std::unique_ptr<Store> store;
  selfcheck::RuleSet rules;
  std::atomic<int> port{0};
};

void StartServer(ServedSite* served) {
  testing::MakeFixtureSite("multilingual", served->dir.path());
  Diagnostics diagnostics;
  served->site = Site::Load(std::make_shared<DiskFileSystem>(), served->dir.path(), &diagnostics);
  if (!served->site) Fail("the fixture site does not load");
  auto opened = Store::Open(served->dir / "clemency.db");
  if (!opened.ok()) Fail("the store does not open");
  served->store = std::move(opened).value();
  if (!ImportSite(*served->site, served->store.get()).ok()) Fail("import failed");
  BuildOptions build;
  build.out_dir = served->dir / "public";
  auto summary = served->site->Build(build);
  if (!summary.ok()) Fail("build failed");
  auto rules = selfcheck::LoadRuleSet(DiskFileSystem(), std::string(CLEMENCY_SOURCE_DIR) + "/site/selfcheck",
                                      served->site->config(), &diagnostics);
  if (!rules.ok()) Fail("self-check rules do not load");
  served->rules = std::move(rules).value();
  ServerOptions options;
  options.public_dir = served->dir / "public";
  options.port = 0;
  options.config = &served->site->config();
  options.store = served->store.get();
  options.selfcheck = &served->rules;
  options.build.built = true;
  options.build.pages_per_language = summary->pages_per_language;
  options.log_requests = false;
  options.on_listening = [served](int p) { served->port = p; };
  std::thread([options]() { Serve(options); }).detach();
  for (int i = 0; i < 1000 && served->port == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (served->port == 0) Fail("the server did not start");
}

// Returns a socket connected to the fixture's server. Retries briefly when the kernel has no
// port or backlog slot free at that instant, or a signal interrupted the call; fails with the
// reason otherwise.
int Connect() {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(ServerPort()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int error = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) Fail(std::string("socket: ") + std::strerror(errno));
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
    error = errno;
    close(fd);
    // EINTR: libFuzzer's timer signal (-timeout) landed during the connect.
    if (error != EADDRNOTAVAIL && error != EAGAIN && error != ECONNREFUSED && error != EINTR) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Fail(std::string("connect: ") + std::strerror(error));
}

}  // namespace

const SiteConfig& RealConfig() {
  static const SiteConfig config = [] {
    Diagnostics diagnostics;
    auto loaded = LoadSiteConfig(DiskFileSystem(),
                                 std::string(CLEMENCY_SOURCE_DIR) + "/site/config.yaml", &diagnostics);
    if (!loaded.ok()) Fail("site/config.yaml does not load");
    return std::move(loaded).value();
  }();
  return config;
}

const WordingRules& RealWordingRules() {
  static const WordingRules rules = [] {
    Diagnostics diagnostics;
    return LoadWordingRules(DiskFileSystem(), std::string(CLEMENCY_SOURCE_DIR) + "/site/wording",
                            RealConfig(), &diagnostics);
  }();
  return rules;
}

int ServerPort() {
  static ServedSite* served = [] {
    auto* s = new ServedSite;  // never freed: server threads use it until exit
    StartServer(s);
    return s;
  }();
  return served->port;
}

std::string Exchange(std::string_view request) {
  int fd = Connect();
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the server may close early on a refused head
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string response;
  char buffer[16384];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    response.append(buffer, static_cast<size_t>(n));
  }
  // A reset instead of a FIN leaves no TIME_WAIT socket behind: tens of thousands of exchanges
  // a minute would otherwise use up the loopback's ephemeral ports.
  linger reset{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  close(fd);
  return response;
}

void RequireClientError(std::string_view response, bool allow_silence) {
  if (response.empty()) {
    if (allow_silence) return;
    Fail("no response");
  }
  if (response.substr(0, 9) != "HTTP/1.1 " || response.size() < 12) Fail("not an HTTP response");
  if (response[9] == '5') Fail("server error: " + std::string(response.substr(0, 12)));
}

}  // namespace clemency::fuzz
