// The disk file systems: reads, listings and the up-front snapshot a build walks once.
#include "core/fs.h"

#include <sys/resource.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

#include "support/fixture.h"

using namespace clemency;

TEST_CASE("a snapshot lists and stamps the files under its roots, once") {
  testing::TempDir dir;
  testing::WriteFile(dir / "content/guides/a.vi.md", "một");
  testing::WriteFile(dir / "content/guides/b-c.vi.md", "hai");
  testing::WriteFile(dir / "content/_index.vi.md", "ba");
  testing::WriteFile(dir / "site/config.yaml", "x: 1\n");
  testing::WriteFile(dir / "other/file.txt", "outside");
  std::filesystem::create_directory_symlink(dir / "content/guides", dir / "content/loop");

  SnapshotFileSystem snapshot({dir / "content", dir / "site"});
  DiskFileSystem disk;
  // Same files and order as a plain listing; a link to a folder is not followed.
  CHECK(snapshot.ListFiles(dir / "content") ==
        std::vector<std::string>{"_index.vi.md", "guides/a.vi.md", "guides/b-c.vi.md"});
  CHECK(snapshot.ListFiles(dir / "content/guides") == disk.ListFiles(dir / "content/guides"));
  // Outside the roots it asks the disk.
  CHECK(snapshot.ListFiles(dir / "other") == std::vector<std::string>{"file.txt"});
  CHECK(*snapshot.ReadFile(dir / "content/guides/a.vi.md") == "một");

  std::string stamp = snapshot.Stamp(dir / "content/guides/a.vi.md");
  CHECK_FALSE(stamp.empty());
  CHECK(stamp == disk.Stamp(dir / "content/guides/a.vi.md"));
  CHECK(snapshot.Stamp(dir / "content/none.md").empty());
  CHECK(snapshot.Listing().find("guides/a.vi.md\t" + stamp + "\n") != std::string::npos);

  // A change after the snapshot shows on the disk, never in the snapshot taken before it: a
  // build compares the early stamp, so it can only see a file as changed, never miss a change.
  testing::WriteFile(dir / "content/guides/a.vi.md", "một nữa");
  CHECK(disk.Stamp(dir / "content/guides/a.vi.md") != stamp);
  CHECK(snapshot.Stamp(dir / "content/guides/a.vi.md") == stamp);
}

TEST_CASE("reading a missing file is an error naming it") {
  DiskFileSystem disk;
  auto text = disk.ReadFile("/nonexistent/clemency/file.md");
  REQUIRE_FALSE(text.ok());
  CHECK(text.status().message() == "/nonexistent/clemency/file.md: cannot open file");
}

TEST_CASE("the latest change under a folder counts every file and folder in it") {
  testing::TempDir dir;
  CHECK(LatestChange(dir / "none") == 0);
  testing::WriteFile(dir / "site/templates/page.mustache", "<p>x</p>");
  testing::WriteFile(dir / "public.pages", "cache");
  int64_t site = LatestChange(dir / "site");
  CHECK(site > 0);
  CHECK(site >= LatestChange(dir / "site/templates/page.mustache"));
  // A file written later, however deep, moves the folder's latest change up to its own (the
  // clock may tick coarsely: never below it, which is what "changed since" relies on).
  testing::WriteFile(dir / "site/i18n/vi.yaml", "a: b\n");
  CHECK(LatestChange(dir / "site") >= LatestChange(dir / "site/i18n/vi.yaml"));
  CHECK(LatestChange(dir / "site") >= LatestChange(dir / "public.pages"));
}

TEST_CASE("a failed write names the system's reason") {
  testing::TempDir dir;
  // A file size limit makes a larger write fail with EFBIG (its signal ignored, as a shell can).
  struct rlimit old_limit;
  getrlimit(RLIMIT_FSIZE, &old_limit);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = {4096, old_limit.rlim_max};
  setrlimit(RLIMIT_FSIZE, &limit);
  Status s = WriteFileAtomically(dir / "big.txt", std::string(100000, 'x'));
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  CHECK_FALSE(s.ok());
  CHECK(s.message() == "cannot write " + (dir / "big.txt") + ": File too large");
  CHECK_FALSE(testing::Exists(dir / "big.txt"));
}

TEST_CASE("a link resolves within a folder only when its target does") {
  testing::TempDir dir;
  testing::WriteFile(dir / "src/content/a.md", "a");
  testing::WriteFile(dir / "srcx/b.md", "b");
  std::filesystem::create_symlink(dir / "src/content/a.md", dir / "src/content/in.md");
  std::filesystem::create_symlink(dir / "srcx/b.md", dir / "src/content/out.md");
  std::filesystem::create_symlink("../../srcx/b.md", dir / "src/content/relative.md");
  CHECK(ResolvesWithin(dir / "src/content/in.md", dir / "src"));
  CHECK_FALSE(ResolvesWithin(dir / "src/content/out.md", dir / "src"));  // a sibling's prefix
  CHECK_FALSE(ResolvesWithin(dir / "src/content/relative.md", dir / "src"));
  CHECK_FALSE(ResolvesWithin(dir / "src/content/missing.md", dir / "src"));
  DiskFileSystem disk;
  CHECK(disk.IsLink(dir / "src/content/in.md"));
  CHECK_FALSE(disk.IsLink(dir / "src/content/a.md"));
  CHECK(disk.FileSize(dir / "src/content/a.md") == 1);
}
