#pragma once
// Edits of a content file's front matter that keep the rest of the file as written.
#include <string>
#include <string_view>
#include <vector>

namespace clemency {

// `value` as a double-quoted YAML scalar.
std::string YamlQuoted(const std::string& value);

// `text` (a content file: "---", front matter, "---", body) without the top-level fields named in
// `remove` (a field's indented lines go with it), and with `append` (whole lines) added at the
// end of the front matter. REQUIRES: the front matter is closed (the file passed the loader).
std::string ReplaceFrontMatterFields(const std::string& text, const std::vector<std::string>& remove,
                                     const std::string& append);

// The Markdown body of a content file: what follows the "---" line that closes its front
// matter, or the whole text when it opens none (it is not checked: old revisions are read too).
std::string_view MarkdownBody(std::string_view text);

// The lines of the top-level fields named in `fields` (with their indented lines), as written in
// `text`'s front matter; "" when it has none of them.
std::string FrontMatterFieldLines(const std::string& text, const std::vector<std::string>& fields);

}  // namespace clemency
