// The content checks' problems matched to the admin's catalog messages, from the texts the
// checks really write (a change to a check's wording that breaks the match fails here).
#include "editorial/check_messages.h"

#include <catch2/catch.hpp>

#include "render/site.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

std::string Arg(const CheckMessage& m, const std::string& name) {
  for (const auto& [key, value] : m.args) {
    if (key == name) return value;
  }
  return "(none)";
}

}  // namespace

TEST_CASE("check messages: the common kinds are matched with their parts") {
  auto wording = ClassifyCheck({"f.md", 3, "wording", "'phạm nhân' labels a person by their past; write 'người được đặc xá'"});
  CHECK(wording.key == "check_wording");
  CHECK(Arg(wording, "term") == "phạm nhân");
  CHECK(Arg(wording, "use") == "người được đặc xá");
  auto sentence = ClassifyCheck({"f.md", 9, "readability", "one sentence has 41 syllables (at most 30): 'Người được đặc xá phải'; split it"});
  CHECK(sentence.key == "check_sentence");
  CHECK(Arg(sentence, "count") == "41");
  CHECK(Arg(sentence, "limit") == "30");
  auto link = ClassifyCheck({"f.md", 4, "body", "link '/vi/guides/x/' points to /vi/guides/x/, which is not a page of this site"});
  CHECK(link.key == "check_link");
  CHECK(Arg(link, "href") == "/vi/guides/x/");
  auto required = ClassifyCheck({"f.md", 1, "title", "is required"});
  CHECK(required.key == "check_required");
  CHECK(Arg(required, "field") == "title");
  CHECK(Arg(sentence, "unit") == "syllables");
  auto hint = ClassifyCheck({"f.md", 2, "titel", "unknown field; did you mean 'title'?"});
  CHECK(hint.key == "check_unknown_field_hint");
  CHECK(Arg(hint, "hint") == "title");
  CHECK(ClassifyCheck({"f.md", 2, "body", "is empty"}).key == "check_body_empty");
  CHECK(ClassifyCheck({"f.md", 2, "summary", "is empty"}).key == "check_not_empty");
  CHECK(ClassifyCheck({"f.md", 1, "title", "something else entirely"}).key.empty());
}

TEST_CASE("check messages: what the real checks write is matched") {
  // A page with a broken link, a wording problem and no alt text, checked by the real loader.
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  std::string text = testing::ReadFile(dir / "content/guides/beta.vi.md");
  text += "\n[Xem](/vi/guides/khong-co/)\n\n![](/static/x.png)\n";
  testing::WriteFile(dir / "content/guides/beta.vi.md", text);
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &diagnostics);
  REQUIRE_FALSE(site);
  std::vector<std::string> keys;
  for (const auto& d : diagnostics.items()) keys.push_back(ClassifyCheck(d).key);
  INFO(diagnostics.ToString());
  CHECK(std::count(keys.begin(), keys.end(), "check_link") == 1);
  CHECK(std::count(keys.begin(), keys.end(), "check_alt") == 1);
}
