// Edits and reads of a content file's front matter that leave the rest as written.
#include "content/front_matter.h"

#include <catch2/catch.hpp>

using namespace clemency;

TEST_CASE("the Markdown body is what follows the closing --- line") {
  CHECK(MarkdownBody("---\ntitle: A\n---\n## One\n\nText.\n") == "## One\n\nText.\n");
  CHECK(MarkdownBody("---\r\ntitle: A\r\n---\r\nText.\r\n") == "Text.\r\n");
  // A "---" inside a value, or a rule in the body, is not the end of the front matter.
  CHECK(MarkdownBody("---\ntitle: a---b\n---\nx\n\n---\n\ny\n") == "x\n\n---\n\ny\n");
  CHECK(MarkdownBody("---\ntitle: A\n---") == "");
  // No front matter, or one never closed: the whole text.
  CHECK(MarkdownBody("Just text.\n") == "Just text.\n");
  CHECK(MarkdownBody("---\ntitle: A\n") == "---\ntitle: A\n");
}
