#pragma once
// Helpers shared by the build module's tests.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "render/page_cache.h"
#include "render/site.h"
#include "support/fixture.h"

namespace clemency::render_test {

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Every file under `dir`, by relative path, with its bytes.
inline std::map<std::string, std::string> Tree(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[std::filesystem::relative(entry.path(), dir).string()] =
          testing::ReadFile(entry.path().string());
    }
  }
  return files;
}

inline std::unique_ptr<Site> LoadOrFail(const std::string& dir, PageCache* cache = nullptr) {
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), dir, &diagnostics, nullptr, cache);
  INFO(diagnostics.ToString());
  REQUIRE(site);
  return site;
}

// `dir`/public holds, byte for byte, what a fresh full build of `dir`'s site/ and content/ gives.
inline void CheckEqualsFullBuild(const std::string& dir) {
  testing::TempDir full;
  for (const char* folder : {"site", "content"}) {
    std::filesystem::copy(dir + "/" + folder, full / folder,
                          std::filesystem::copy_options::recursive);
  }
  BuildOptions options;
  options.out_dir = full / "public";
  REQUIRE(LoadOrFail(full.path())->Build(options).ok());
  auto built = Tree(dir + "/public"), fresh = Tree(full / "public");
  CHECK(built.size() == fresh.size());
  for (const auto& [path, bytes] : fresh) {
    INFO(path);
    CHECK(built[path] == bytes);
  }
}

}  // namespace clemency::render_test
