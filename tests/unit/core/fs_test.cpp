// The disk file systems: reads, listings and the up-front snapshot a build walks once.
#include "core/fs.h"

#include <unistd.h>

#include <catch2/catch.hpp>
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
