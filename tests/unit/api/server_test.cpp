// The server on a free loopback port, driven over real HTTP.
#include "api/server.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <thread>

#include "support/fixture.h"

using namespace clemency;

namespace {

struct RunningServer {
  testing::TempDir dir;
  std::thread thread;
  int port = 0;

  RunningServer() {
    testing::WriteFile(dir / "public/vi/index.html", "<p>xin chào</p>");
    testing::WriteFile(dir / "public/vi/404.html", "<p>không thấy</p>");
    testing::WriteFile(dir / "public/en/404.html", "<p>not found</p>");
    testing::WriteFile(dir / "public/vi/feed.atom", "<feed/>");
    testing::WriteFile(dir / "public/vi/feed.json", "{}");
    testing::WriteFile(dir / "secret.txt", "outside");
    ServerOptions options;
    options.public_dir = dir / "public";
    options.port = 0;
    std::atomic<int> bound{0};
    options.on_listening = [&bound](int p) { bound = p; };
    thread = std::thread([options]() { Serve(options); });
    for (int i = 0; i < 200 && bound == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    port = bound;
  }
  ~RunningServer() {
    std::raise(SIGTERM);  // the server's handler stops it; in-flight requests finish
    thread.join();
  }
  int Get(const std::string& path, std::string* output) {
    return testing::RunCommand(
        "curl -s -o - -w '\\n%{http_code} %{content_type}' --path-as-is 'http://127.0.0.1:" +
            std::to_string(port) + path + "'",
        output);
  }
};

}  // namespace

TEST_CASE("static files, content types, 404 pages and no escape from public/") {
  RunningServer server;
  REQUIRE(server.port > 0);
  std::string out;
  REQUIRE(server.Get("/vi/", &out) == 0);
  CHECK(out == "<p>xin chào</p>\n200 text/html; charset=utf-8");
  server.Get("/vi/feed.atom", &out);
  CHECK(out.find("200 application/atom+xml") != std::string::npos);
  server.Get("/vi/feed.json", &out);
  CHECK(out.find("200 application/feed+json") != std::string::npos);
  server.Get("/en/nothing-here/", &out);
  CHECK(out == "<p>not found</p>\n404 text/html; charset=utf-8");
  server.Get("/vi", &out);
  CHECK(out.find("301") != std::string::npos);
  for (const char* attack : {"/../secret.txt", "/vi/../../secret.txt", "/%2e%2e/secret.txt",
                             "/vi/%2e%2e/%2e%2e/secret.txt", "/secret.txt%00.html"}) {
    server.Get(attack, &out);
    INFO(attack);
    CHECK(out.find("outside") == std::string::npos);
  }
}
