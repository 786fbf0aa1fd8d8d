#pragma once
// A page file ("---", YAML front matter, "---", Markdown) as the admin's edit form shows it:
// title and summary as their own fields, the rest of the front matter as YAML, the body. Joining
// the parts gives the file back, so a form saved unchanged changes nothing.
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace clemency {

struct PageForm {
  // Unset when the file has no such field, or writes it as something other than one line of
  // text (then it stays in `front_matter`, where the editor sees it as written).
  std::optional<std::string> title, summary;
  std::string front_matter;  // the other front-matter lines, as written
  std::string body;          // the Markdown after the closing "---" (and one blank line)
  bool has_front_matter = false;
  int body_first_line = 1;  // the file's line number of the body's first line
  int title_line = 0, summary_line = 0;  // the file's lines of those fields (0: none)
};

// Splits a page file into the form's parts. A file that does not start with a closed front
// matter is all body.
PageForm SplitPage(const std::string& text);

// The page file for `form`: title and summary first (YamlQuoted), then the other front
// matter, then the body. Line ends are "\n" (browsers send "\r\n") and the file ends with one.
std::string JoinPage(const PageForm& form);

// "\r\n" and lone "\r" as "\n": what a browser's textarea sends back is the text that was shown.
std::string NormalizeNewlines(const std::string& text);

// Whether `d` is a problem of the page file `path` (its file is `path`, ends in "/" + `path`, or is
// not named).
bool IsProblemOf(const Diagnostic& d, const std::string& path);

// Where a content-check problem belongs on the form.
enum class FormPlace { kTitle, kSummary, kFrontMatter, kBody, kOther };
struct PlacedDiagnostic {
  FormPlace place = FormPlace::kOther;
  int body_line = 0;  // kBody: the line within the body textarea (1-based), 0 when not known
  Diagnostic diagnostic;
};
// Places each problem by the field it names, else by its line in the file; problems of other
// files (a page that links here) are kOther.
std::vector<PlacedDiagnostic> PlaceDiagnostics(const PageForm& form, const std::string& path,
                                               const std::vector<Diagnostic>& diagnostics);

}  // namespace clemency
