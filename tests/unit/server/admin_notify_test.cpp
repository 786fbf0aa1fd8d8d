// Review notices by mail through the real server: a fake sendmail, a failing one, and a real
// local SMTP sink (python3-aiosmtpd, ctest server.smtp).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "editor_server.h"

using namespace clemency;
using namespace clemency::editor_test;

namespace {

// A sendmail that appends its arguments and the message to `log`, or fails with status 75.
std::string FakeSendmail(const std::string& dir, const std::string& log, bool fail) {
  const std::string script = dir + (fail ? "/failing-sendmail" : "/sendmail");
  testing::WriteFile(script, fail ? "#!/bin/sh\ncat >/dev/null\nexit 75\n"
                                  : "#!/bin/sh\n{ echo \"ARGS: $*\"; cat; echo '--END--'; } >> '" +
                                        log + "'\n");
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  return script;
}

// Waits up to 10 s for `path` to hold `count` messages; returns what it holds.
std::string WaitForMail(const std::string& path, size_t count) {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text = testing::Exists(path) ? testing::ReadFile(path) : "";
    size_t seen = 0;
    for (size_t at = text.find("--END--"); at != std::string::npos; at = text.find("--END--", at + 1)) ++seen;
    if (seen >= count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return text;
}

// A free TCP port on 127.0.0.1 (the system's pick; free again when returned).
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}


}  // namespace

TEST_CASE("admin: a change submitted for review is mailed to the publishers in their language") {
  testing::TempDir mail;
  const std::string log = mail / "mails.txt";
  NotifyConfig notify;
  notify.sendmail = FakeSendmail(mail.path(), log, false);
  notify.from = "clemency@example.org";
  notify.admin_url = "https://admin.example.org";
  EditorServer s(notify);
  UserRepository users(s.store.get());
  REQUIRE(users.Add({"tuan", "admin", "not used here", "", "2026-11-01T00:00:00Z"}).ok());
  REQUIRE(users.SetContact("hoa", "hoa@example.org", "en").ok());
  REQUIRE(users.SetContact("tuan", "tuan@example.org", "").ok());
  REQUIRE(users.SetContact("minh", "minh@example.org", "vi").ok());  // an editor: not told
  REQUIRE(users.SetContact("lan", "lan@example.org", "vi").ok());    // the submitter: not told
  auto lan = s.SignedIn("lan");
  REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                          "application/json")->status == 201);
  auto typed = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                              "{\"change_type\":\"minor\"}", "application/json");
  REQUIRE(typed->status == 200);
  CHECK_FALSE(testing::Exists(log));  // a save tells nobody
  REQUIRE(s.Client().Post("/api/v1/editor/edits/1/submit",
                          With(lan, "If-Match", typed->get_header_value("ETag")), "", "")->status == 200);
  const std::string mails = WaitForMail(log, 2);
  INFO(mails);
  CHECK(mails.find("ARGS: -i -- hoa@example.org\n") != std::string::npos);
  CHECK(mails.find("ARGS: -i -- tuan@example.org\n") != std::string::npos);
  CHECK(mails.find("minh@") == std::string::npos);
  CHECK(mails.find("lan@") == std::string::npos);
  CHECK(mails.find("From: clemency@example.org\nTo: hoa@example.org\n") != std::string::npos);
  CHECK(mails.find("Content-Type: text/plain; charset=UTF-8") != std::string::npos);
  // In English for Hoa, in Vietnamese (the admin's first language) for Tuan: title and link.
  CHECK(mails.find("lan submitted a change to “Quy trình” (" + kPath + ") for review.") != std::string::npos);
  CHECK(mails.find("https://admin.example.org/admin/edits/1?lang=en") != std::string::npos);
  CHECK(mails.find("lan đã gửi bản sửa trang “Quy trình”") != std::string::npos);
  CHECK(mails.find("https://admin.example.org/admin/edits/1?lang=vi") != std::string::npos);
  // The subject is RFC 2047: "Waiting for review: Quy trình" in base64.
  CHECK(mails.find("Subject: =?UTF-8?B?V2FpdGluZyBmb3IgcmV2aWV3OiBRdXkgdHLDrG5o?=") != std::string::npos);
}

TEST_CASE("admin: a failing sendmail never blocks a submit; without the setting nothing is sent") {
  testing::TempDir mail;
  const std::string log = mail / "mails.txt";
  for (bool configured : {true, false}) {
    NotifyConfig notify;
    if (configured) notify.sendmail = FakeSendmail(mail.path(), log, true);
    EditorServer s(notify);
    REQUIRE(UserRepository(s.store.get()).SetContact("hoa", "hoa@example.org", "").ok());
    auto lan = s.SignedIn("lan");
    REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                            "application/json")->status == 201);
    auto typed = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                                "{\"change_type\":\"minor\"}", "application/json");
    auto submitted = s.Client().Post("/api/v1/editor/edits/1/submit",
                                     With(lan, "If-Match", typed->get_header_value("ETag")), "", "");
    CHECK(submitted->status == 200);
    CHECK(s.workflow->Get(1)->state == "submitted");
  }
  CHECK_FALSE(testing::Exists(log));
}


// Through a real SMTP server: Debian's python3-aiosmtpd as a local sink, reached by a
// sendmail-compatible script that speaks SMTP (tests/support/smtp_sendmail.py). ctest server.smtp.
TEST_CASE("admin: the review notice reaches a local SMTP sink", "[smtp]") {
  testing::TempDir mail;
  const int port = FreePort();
  const std::string sink_log = mail / "sink.txt", pid_file = mail / "sink.pid";
  REQUIRE(std::system(("/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:" + std::to_string(port) +
                       " -c aiosmtpd.handlers.Debugging > '" + sink_log + "' 2>&1 & echo $! > '" +
                       pid_file + "'").c_str()) == 0);
  for (int i = 0; i < 200 && !Accepts(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const int sink_pid = std::stoi(testing::ReadFile(pid_file));
  INFO(testing::ReadFile(sink_log));
  REQUIRE(Accepts(port));
  ::setenv("CLEMENCY_SMTP_PORT", std::to_string(port).c_str(), 1);
  NotifyConfig notify;
  notify.sendmail = std::string(CLEMENCY_SOURCE_DIR) + "/tests/support/smtp_sendmail.py";
  notify.admin_url = "https://admin.example.org";
  {
    EditorServer s(notify);
    REQUIRE(UserRepository(s.store.get()).SetContact("hoa", "hoa@example.org", "vi").ok());
    auto lan = s.SignedIn("lan");
    REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                            "application/json")->status == 201);
    auto typed = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                                "{\"change_type\":\"minor\"}", "application/json");
    REQUIRE(s.Client().Post("/api/v1/editor/edits/1/submit",
                            With(lan, "If-Match", typed->get_header_value("ETag")), "", "")->status == 200);
    std::string received;
    for (int i = 0; i < 200 && received.find("admin/edits/1") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      received = testing::ReadFile(sink_log);
    }
    INFO(received);
    CHECK(received.find("To: hoa@example.org") != std::string::npos);
    CHECK(received.find("https://admin.example.org/admin/edits/1?lang=vi") != std::string::npos);
  }
  ::kill(sink_pid, SIGTERM);
}
