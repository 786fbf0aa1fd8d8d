// The output folder's rules: where a build may write, and recovery after a killed build.
#include "render/output_folder.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "render/output.h"
#include "render_test_support.h"

using namespace clemency;
using render_test::Contains;
using render_test::Tree;
namespace fs = std::filesystem;

namespace {

// A process id no process has: above the kernel's limit.
std::string DeadPid() {
  std::ifstream in("/proc/sys/kernel/pid_max");
  long max = 4194304;
  in >> max;
  return std::to_string(max + 1);
}

}  // namespace

TEST_CASE("an output folder may not be the sources, hold them, or lie inside them") {
  testing::TempDir dir;
  const std::string src = dir / "holder/src";
  testing::WriteFile(src + "/site/config.yaml", "x");
  testing::WriteFile(src + "/content/a.vi.md", "x");
  struct Case {
    std::string out, why;
  };
  for (const Case& c : {Case{src, "is the source folder"}, Case{src + "/", "is the source folder"},
                        Case{src + "/content", "lies inside content/"},
                        Case{src + "/content/../site/static/x", "lies inside site/"},
                        Case{dir / "holder", "holds the source folder"},
                        Case{dir / "holder/src/..", "holds the source folder"}}) {
    INFO(c.out);
    Status s = CheckOutputFolder(c.out, src);
    CHECK_FALSE(s.ok());
    CHECK(s.message() == "--out " + c.out + ": " + c.why + "; choose another output folder");
  }
  CHECK(CheckOutputFolder(src + "/public", src).ok());  // new
  CHECK(CheckOutputFolder(dir / "holder/public", src).ok());
  fs::create_directories(dir / "empty");
  CHECK(CheckOutputFolder(dir / "empty", src).ok());
  testing::WriteFile(dir / "theirs/notes.txt", "years of work");
  CHECK(Contains(CheckOutputFolder(dir / "theirs", src).message(), "is not a Clemency output"));
  testing::WriteFile(dir / "file", "x");
  CHECK(Contains(CheckOutputFolder(dir / "file", src).message(), "exists and is not a folder"));
  testing::WriteFile(dir / "ours/.clemency-output", "");
  testing::WriteFile(dir / "ours/index.html", "");
  CHECK(CheckOutputFolder(dir / "ours", src).ok());
  testing::WriteFile(dir / "older/index.html", "");  // made before the marker: its manifest says so
  testing::WriteFile(dir / "older.manifest", "");
  CHECK(CheckOutputFolder(dir / "older", src).ok());
}

TEST_CASE("a build refuses an output folder that is its source, and leaves the sources whole") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  auto before = Tree(dir.path());
  BuildOptions options;
  options.out_dir = dir / "content";
  auto built = render_test::LoadOrFail(dir.path())->Build(options);
  CHECK_FALSE(built.ok());
  CHECK(Tree(dir.path()) == before);
  options.out_dir = dir / "public";
  REQUIRE(render_test::LoadOrFail(dir.path())->Build(options).ok());
  CHECK(testing::Exists(dir / "public/.clemency-output"));
}

TEST_CASE("recovery finishes an in-place update cut short, from its journal") {
  testing::TempDir dir;
  const std::string out = dir / "public", staging = dir / ("public.staging-" + DeadPid());
  testing::WriteFile(out + "/.clemency-output", "");
  testing::WriteFile(out + "/a.html", "old a");
  testing::WriteFile(out + "/b/index.html", "old b");
  testing::WriteFile(out + "/c.html", "new c");  // moved before the cut
  testing::WriteFile(staging + "/a.html", "new a");
  testing::WriteFile(staging + "/d/index.html", "new d");
  InPlaceChanges changes{staging, {"a.html", "c.html", "d/index.html"}, {"b/index.html"}};
  REQUIRE(WriteJournal(out, changes).ok());
  REQUIRE(testing::Exists(dir / "public.journal"));
  {
    auto lock = OutputLock::Acquire(out);
    REQUIRE(lock.ok());
    REQUIRE(RecoverOutput(out).ok());
  }
  CHECK(Tree(out) == std::map<std::string, std::string>{{".clemency-output", ""},
                                                        {"a.html", "new a"},
                                                        {"c.html", "new c"},
                                                        {"d/index.html", "new d"}});
  CHECK_FALSE(testing::Exists(dir / "public.journal"));
  CHECK_FALSE(testing::Exists(staging));
  CHECK(RecoverOutput(out).ok());  // nothing left to do
}

TEST_CASE("recovery removes staging folders of builds that no longer run, and puts back a site") {
  testing::TempDir dir;
  const std::string out = dir / "public";
  testing::WriteFile(out + "/index.html", "site");
  testing::WriteFile(dir / ("public.staging-" + DeadPid()) + "/index.html", "half");
  const std::string running = dir / ("public.staging-" + std::to_string(getppid()));
  testing::WriteFile(running + "/index.html", "being built");
  testing::WriteFile(dir / "public.staging-notes/keep.txt", "not ours");
  REQUIRE(RecoverOutput(out).ok());
  CHECK_FALSE(testing::Exists(dir / ("public.staging-" + DeadPid())));
  CHECK(testing::Exists(running));
  CHECK(testing::Exists(dir / "public.staging-notes/keep.txt"));

  // Killed between moving the old site aside and moving the new one in.
  fs::rename(out, dir / ("public.old-" + DeadPid()));
  REQUIRE(RecoverOutput(out).ok());
  CHECK(testing::ReadFile(out + "/index.html") == "site");
}

TEST_CASE("a failed write names the file and the system's reason") {
  testing::TempDir dir;
  testing::WriteFile(dir / "src/site/config.yaml", "x");
  auto writer = OutputWriter::Create(dir / "public", dir / "src");
  REQUIRE(writer.ok());
  // A folder where the file should go: the write fails with the system's reason.
  fs::create_directories((*writer)->staging_dir() + "/page.html/x");
  Status s = (*writer)->Write("page.html/x", "bytes");
  CHECK_FALSE(s.ok());
  CHECK(s.message() == "cannot write " + (*writer)->staging_dir() + "/page.html/x: File exists");
}

TEST_CASE("precompressing: a .gz beside each file that may be sent compressed, never stale") {
  testing::TempDir dir;
  testing::WriteFile(dir / "src/site/config.yaml", "x");
  const std::string page(3000, 'a'), small = "<p>short</p>";
  auto build = [&](bool in_place, const std::vector<std::pair<std::string, std::string>>& files,
                   const std::vector<std::string>& removed = {}) {
    auto writer = OutputWriter::Create(dir / "public", dir / "src");
    REQUIRE(writer.ok());
    (*writer)->Precompress(true);
    if (in_place) (*writer)->UpdateInPlace();
    for (const auto& [path, bytes] : files) REQUIRE((*writer)->Write(path, bytes).ok());
    for (const auto& path : removed) (*writer)->Remove(path);
    REQUIRE((*writer)->Commit().ok());
  };
  build(false, {{kOutputMarker, ""}, {"a/index.html", page}, {"b.html", small}, {"logo.png", page},
                {"f.atom", page}});
  auto tree = Tree(dir / "public");
  CHECK(tree.count("a/index.html.gz"));
  CHECK(tree.count("f.atom.gz"));
  CHECK_FALSE(tree.count("b.html.gz"));    // under 1 KB
  CHECK_FALSE(tree.count("logo.png.gz"));  // not a type gzip_static is for
  const std::string first = tree.at("a/index.html.gz");
  CHECK(first.substr(0, 10) == std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10));
  // In place: a changed file gets a new .gz; one now under 1 KB loses it; a removed one too.
  build(true, {{"a/index.html", small}, {"b.html", page}}, {"f.atom"});
  tree = Tree(dir / "public");
  CHECK_FALSE(tree.count("a/index.html.gz"));
  CHECK(tree.count("b.html.gz"));
  CHECK_FALSE(tree.count("f.atom"));
  CHECK_FALSE(tree.count("f.atom.gz"));
  // The same bytes give the same .gz (no time or name in its header).
  build(true, {{"a/index.html", page}});
  CHECK(Tree(dir / "public").at("a/index.html.gz") == first);
  // A build without precompressing leaves no .gz of a file it rewrote.
  auto writer = OutputWriter::Create(dir / "public", dir / "src");
  REQUIRE(writer.ok());
  (*writer)->UpdateInPlace();
  REQUIRE((*writer)->Write("a/index.html", page + "b").ok());
  REQUIRE((*writer)->Commit().ok());
  CHECK_FALSE(Tree(dir / "public").count("a/index.html.gz"));
  CHECK(NeedsGzip("x/feed.rss", 1024));
  CHECK_FALSE(NeedsGzip("x/feed.rss", 1023));
}

TEST_CASE("an in-place commit renames library images first, then deepest first, each file right before its .gz") {
  std::vector<std::string> paths = {"vi/index.html.gz", "vi/a/index.html.gz", "sitemap.xml",
                                    "vi/b/index.html",  "vi/a/index.html",    "vi/index.html",
                                    "vi/a/x.svg",       "vi/feed.atom", "media/f-480x240.png"};
  OrderForRenames(&paths);
  CHECK(paths == std::vector<std::string>{"media/f-480x240.png", "vi/a/index.html",
                                          "vi/a/index.html.gz", "vi/a/x.svg",
                                          "vi/b/index.html", "vi/feed.atom", "vi/index.html",
                                          "vi/index.html.gz", "sitemap.xml"});
}

TEST_CASE("an in-place commit with .gz files: new ones in place, a removed one gone, a repeat deletes none") {
  // The moment between two renames is what tests/bench/gz_window.py watches; here, the outcome:
  // new .gz files in place, a .gz that goes gone, and a repeat (recovery) deleting no new .gz.
  testing::TempDir dir;
  const std::string out = dir / "public", staging = dir / "public.staging-1";
  testing::WriteFile(out + "/.clemency-output", "");
  for (const char* name : {"a.html", "a.html.gz", "b.html", "b.html.gz", "c.html", "d.html.gz"}) {
    testing::WriteFile(out + "/" + name, std::string("old ") + name);
  }
  for (const char* name : {"a.html", "a.html.gz", "b.html", "c.html"}) {
    testing::WriteFile(staging + "/" + name, std::string("new ") + name);
  }
  // b.html.gz goes (b shrank under 1 KB); c.html has no .gz; d.html.gz is not this commit's.
  InPlaceChanges changes{staging, {"a.html", "a.html.gz", "b.html", "c.html"}, {"b.html.gz"}};
  const std::map<std::string, std::string> committed = {
      {".clemency-output", ""}, {"a.html", "new a.html"}, {"a.html.gz", "new a.html.gz"},
      {"b.html", "new b.html"}, {"c.html", "new c.html"}, {"d.html.gz", "old d.html.gz"}};
  REQUIRE(ApplyInPlace(out, changes).ok());
  CHECK(Tree(out) == committed);
  REQUIRE(ApplyInPlace(out, changes).ok());
  CHECK(Tree(out) == committed);
}
