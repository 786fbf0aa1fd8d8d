#pragma once
// A page file as text: "---", YAML front matter, "---", Markdown body; and its path as editors
// name it. The one place that splits a file's front matter, reads and replaces its fields, quotes
// a value for it, and parses or forms a content path; everything else asks here.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clemency {

// One line of a page file.
struct PageFileLine {
  std::string_view text;  // as written, its line end ("\n" or "\r\n") included when it has one
  int number = 0;         // the file's line number (1-based)
};

// A page file split at its "---" lines (a line that is "---" with an optional "\r").
struct PageFileParts {
  bool opened = false;  // the first line is "---"
  bool closed = false;  // … and a later "---" line closes the front matter
  std::vector<PageFileLine> front_matter;  // the lines between the two (none unless closed)
  PageFileLine opening, closing;           // the "---" lines themselves (when closed)
  size_t front_matter_offset = 0;  // where the first front-matter line starts
  size_t closing_offset = 0;       // where the closing "---" line starts
  size_t body_offset = 0;          // where the body starts: after the closing line, else 0
  int body_first_line = 1;         // the file's line number of the body's first line
};

// Splits `text`. A file that does not open and close its front matter is all body. The parts
// point into `text`. REQUIRES: `text` outlives the result.
PageFileParts SplitPageFile(std::string_view text);

// `line` without its line end.
std::string_view LineContent(std::string_view line);

// Whether `line` starts a top-level field ("title: …"); indented lines, list items, comments,
// blank lines and lines without a colon belong to the field above them.
bool IsFieldStart(std::string_view line);

// The field name of a line that IsFieldStart: before the colon, trimmed, without quotes.
std::string FieldName(std::string_view line);

// The lines of the top-level fields named in `fields` (with the lines that belong to them), as
// written in `text`'s front matter; "" when it has none of them or no closed front matter.
std::string FrontMatterFieldLines(std::string_view text, const std::vector<std::string>& fields);

// `text` without the top-level fields named in `remove` (their lines go with them), and with
// `append` (whole lines) added at the end of the front matter. A file without a closed front
// matter is returned as it is.
std::string ReplaceFrontMatterFields(std::string_view text, const std::vector<std::string>& remove,
                                     const std::string& append);

// The value of top-level field `name` in `yaml` (front-matter lines) when it is one scalar
// (one line of text, quoted or not); nullopt when absent, not a scalar or not valid YAML.
std::optional<std::string> ScalarField(const std::string& yaml, const std::string& name);

// The value of `text`'s front-matter field `name` when it is a scalar, as ScalarField reads it.
std::optional<std::string> FieldValue(std::string_view text, const std::string& name);

// `text` with field `name` set to `value` (a double-quoted scalar) at the end of its front
// matter, its old lines removed. A file without a closed front matter is returned as it is.
std::string ReplaceField(std::string_view text, const std::string& name, const std::string& value);

// The Markdown body of a page file: what follows the "---" line that closes its front matter,
// or the whole text when it opens none (not checked: old revisions are read too).
std::string_view MarkdownBody(std::string_view text);

// `value` as a YAML double-quoted scalar that reads back as `value`: backslash, quote and
// control characters (newlines included) escaped, as are the Unicode line breaks YAML would fold
// (U+0085, U+2028, U+2029).
std::string YamlQuoted(std::string_view value);

// A page file's path as editors name it: "content/<section>/<slug>.<lang>.md", the section
// index "content/<section>/_index.<lang>.md" or the home page "content/_index.<lang>.md".
struct ContentPath {
  std::string section, slug, lang;  // slug "" for an index page; section "" for home
};

// The parts of `path`, or nullopt when it is not a page file of one of `languages` (anything
// else: another folder, "..", other characters than a–z, 0–9 and '-' in names).
std::optional<ContentPath> ParseContentPath(const std::string& path,
                                            const std::vector<std::string>& languages);

// The path of `file`, as ParseContentPath reads it.
std::string ContentPathOf(const ContentPath& file);

}  // namespace clemency
