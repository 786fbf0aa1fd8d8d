// kill -9 of `clemency build` at random moments of an in-place rebuild: after recovery the output
// folder is always the complete old site or the complete new one, and the next build equals a
// full build. Half the kills land anywhere in the build; the other half land inside the commit
// (the moment the journal appears, plus a random delay), where the renames happen. Tagged [crash]:
// ctest runs it as render.crash; CLEMENCY_CRASH_TRIES sets the number of kills (default 20).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "render/output_folder.h"
#include "render_test_support.h"

extern char** environ;

using namespace clemency;
using render_test::Tree;
namespace fs = std::filesystem;

namespace {

using Files = std::map<std::string, std::string>;

// Runs `clemency build --source dir [--out out]`; waits and returns its exit status.
pid_t StartBuild(const std::string& dir, const std::string& out = "") {
  std::vector<std::string> args = {CLEMENCY_BINARY, "build", "--source", dir};
  if (!out.empty()) args.insert(args.end(), {"--out", out});
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, CLEMENCY_BINARY, &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int Finish(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// Makes variant B of the corpus's content: the same pages, a dozen bodies a sentence longer.
void WriteVariant(const std::string& content, bool longer) {
  int edited = 0;
  for (const auto& entry : fs::directory_iterator(content + "/guides")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("_index", 0) == 0 || name.find(".vi.md") == std::string::npos) continue;
    if (++edited > 12) break;
    std::string text = testing::ReadFile(entry.path().string());
    const std::string extra = "\nThêm một câu ngắn.\n";
    bool has = text.size() >= extra.size() &&
               text.compare(text.size() - extra.size(), extra.size(), extra) == 0;
    if (longer && !has) text += extra;
    if (!longer && has) text.resize(text.size() - extra.size());
    testing::WriteFile(entry.path().string(), text);
  }
}

// Drops the events queued so far (those of earlier builds).
void Drain(int inotify) {
  alignas(inotify_event) char buffer[4096];
  while (read(inotify, buffer, sizeof buffer) > 0) {
  }
}

// Waits until `name` appears in the folder watched by `inotify` or `pid` exits; true if it did.
bool AwaitFile(int inotify, const std::string& name, pid_t pid) {
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    struct pollfd pfd = {inotify, POLLIN, 0};
    if (poll(&pfd, 1, 5) > 0) {
      ssize_t n = read(inotify, buffer, sizeof buffer);
      for (ssize_t at = 0; at < n;) {
        auto* event = reinterpret_cast<inotify_event*>(buffer + at);
        if (event->len && name == event->name) return true;
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
    }
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      return false;  // it ended (left for Finish to reap)
    }
  }
}

}  // namespace

TEST_CASE("kill -9 during in-place rebuilds leaves a complete old or new site", "[crash]") {
  testing::TempDir dir;
  std::string corpus = dir / "site";
  std::string make = std::string("python3 ") + CLEMENCY_SOURCE_DIR + "/tests/bench/make_corpus " +
                     corpus + " 300 --seed 7 >/dev/null";
  REQUIRE(std::system(make.c_str()) == 0);
  const std::string content = corpus + "/content", out = corpus + "/public";
  // The two sites a rebuild goes between, each from a full build.
  Files site[2];
  for (int variant = 0; variant < 2; ++variant) {
    WriteVariant(content, variant == 1);
    std::string reference = dir / ("reference-" + std::to_string(variant));
    REQUIRE(Finish(StartBuild(corpus, reference)) == 0);
    site[variant] = Tree(reference);
  }
  REQUIRE(site[0] != site[1]);
  REQUIRE(Finish(StartBuild(corpus)) == 0);  // public/ is now variant 1

  const char* tries_text = std::getenv("CLEMENCY_CRASH_TRIES");
  const int tries = tries_text ? std::atoi(tries_text) : 20;
  std::mt19937 random(std::random_device{}());
  int outcomes[3] = {0, 0, 0};  // old, new, and kills that found the commit's journal
  int inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  REQUIRE(inotify >= 0);
  REQUIRE(inotify_add_watch(inotify, corpus.c_str(), IN_MOVED_TO | IN_CREATE) >= 0);
  for (int attempt = 0; attempt < tries; ++attempt) {
    int from = (attempt + 1) % 2, to = attempt % 2;  // public/ holds `from`; content becomes `to`
    WriteVariant(content, to == 1);
    bool in_commit = attempt % 2 == 1;
    Drain(inotify);
    pid_t pid = StartBuild(corpus);
    if (in_commit) {
      if (AwaitFile(inotify, "public.journal", pid))
        std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(random() % 60000));
    }
    kill(pid, SIGKILL);
    Finish(pid);
    if (fs::exists(corpus + "/public.journal")) ++outcomes[2];
    {
      auto lock = OutputLock::Acquire(out);
      REQUIRE(lock.ok());
      REQUIRE(RecoverOutput(out).ok());
    }
    Files now = Tree(out);
    INFO("attempt " << attempt << (in_commit ? " (in the commit)" : " (anywhere)"));
    bool old_site = now == site[from], new_site = now == site[to];
    CHECK((old_site || new_site));
    ++outcomes[new_site ? 1 : 0];
    for (const auto& entry : fs::directory_iterator(corpus)) {
      CHECK(entry.path().filename().string().find(".staging-") == std::string::npos);
    }
    // The next build completes the change and equals a full build.
    REQUIRE(Finish(StartBuild(corpus)) == 0);
    CHECK(Tree(out) == site[to]);
  }
  close(inotify);
  WARN("kills: " << tries << "; site left old " << outcomes[0] << ", new " << outcomes[1]
                 << "; journal found " << outcomes[2] << " times");
}
