#include "support/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace clemency::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "clemency-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void MakeFixtureSite(const std::string& name, const std::string& dir) {
  const fs::path source = CLEMENCY_SOURCE_DIR;
  fs::copy(source / "site", fs::path(dir) / "site", fs::copy_options::recursive);
  // The self-check's rules link to sections of the real guides, which fixture sites do not
  // have; a fixture that wants a self-check brings its own site/selfcheck/.
  fs::remove_all(fs::path(dir) / "site" / "selfcheck");
  fs::copy(source / "tests" / "sites" / name, dir,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteFile(const std::string& path, const std::string& contents) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << contents;
}

bool Exists(const std::string& path) { return fs::exists(path); }

int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  output->clear();
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace clemency::testing
