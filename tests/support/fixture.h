#pragma once
// Helpers for whole-site tests: temporary folders and fixture sites built on the real site/.
#include <string>

namespace clemency::testing {

// A fresh temporary folder, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& relative) const { return path_ + "/" + relative; }

 private:
  std::string path_;
};

// Copies the project's site/ into `dir`, then tests/sites/<name>/ over it (its content/ and any
// site/ overrides), so fixtures stay small and exercise the real templates and strings. The real
// site/selfcheck/ is left out (its rules link to guides fixtures do not have).
void MakeFixtureSite(const std::string& name, const std::string& dir);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& contents);
bool Exists(const std::string& path);
// Runs a shell command; returns its exit status and fills `output` with stdout+stderr.
int RunCommand(const std::string& command, std::string* output);

}  // namespace clemency::testing
