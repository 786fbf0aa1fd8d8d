// Slugs: a page's `aliases` (its old slugs) are validated where they are written, and the
// wording list applies to file names as it applies to text.
#include <catch2/catch.hpp>
#include <filesystem>

#include "content/checks.h"
#include "content/loader.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

SiteConfig Config() {
  SiteConfig config;
  config.base_url = "https://example.org";
  config.default_language = "vi";
  config.languages = {
      {"vi", "V", "vi_VN", "T"}, {"en", "E", "en_GB", "T"}, {"km", "K", "km_KH", "T"}};
  config.sections = {{"guides", "guide"}, {"support", "support"}};
  return config;
}

std::string Parse(const std::string& path, const std::string& aliases, Page* page = nullptr) {
  Diagnostics d;
  Page scratch;
  const std::string text = "---\ntitle: Quỹ\ndate: 2026-02-10\n" + aliases +
                           "province: Long An\norganisation: Công an xã\n---\nHỏi.\n";
  PageFromText(path, "content/" + path, text, Config(), &d, page ? page : &scratch);
  return d.ToString();
}

std::vector<WordingRule> Rules(const std::string& lang) {
  MemoryFileSystem fs;
  fs.Add("wording/vi.yaml",
         "- {term: người lầm lỡ, use: người từng mắc sai lầm}\n"
         "- {term: đối tượng, use: người, except: [đối tượng áp dụng]}\n");
  fs.Add("wording/en.yaml", "- {term: ex-convict, use: person released from prison}\n");
  fs.Add("wording/km.yaml", "- {term: អតីតទណ្ឌិត, use: អ្នកដែលបានចេញពីពន្ធនាគារ}\n");
  Diagnostics d;
  auto rules = LoadWordingRules(fs, "wording", Config(), &d);
  REQUIRE(d.empty());
  return rules[lang];
}

std::string SlugProblems(const std::string& lang, const std::string& slug) {
  Page page;
  page.lang = lang;
  page.section = "support";
  page.slug = slug;
  page.source_path = "content/support/" + slug + "." + lang + ".md";
  Diagnostics d;
  CheckSlugWording(page, Rules(lang), &d);
  return d.ToString();
}

}  // namespace

TEST_CASE("aliases are old slugs of the page, read with the line they are on") {
  Page page;
  CHECK(Parse("support/quy.vi.md", "aliases: [quy-cu, quy-xua]\n", &page) == "");
  CHECK(page.aliases == std::vector<std::string>{"quy-cu", "quy-xua"});
  CHECK(page.aliases_line == 4);
  Page plain;
  CHECK(Parse("support/quy.vi.md", "", &plain) == "");
  CHECK(plain.aliases.empty());
}

TEST_CASE("an alias that is no slug of the section, the page's own, kept or repeated is an error") {
  CHECK(Parse("support/quy.vi.md", "aliases: [guides/quy-cu]\n") ==
        "content/support/quy.vi.md:4: aliases: 'guides/quy-cu' is not a slug of this section "
        "(lowercase letters, digits, hyphens; no '/')\n");
  CHECK(Parse("support/quy.vi.md", "aliases: [Quỹ Cũ]\n") ==
        "content/support/quy.vi.md:4: aliases: 'Quỹ Cũ' is not a slug of this section "
        "(lowercase letters, digits, hyphens; no '/')\n");
  CHECK(Parse("support/quy.vi.md", "aliases: [quy]\n") ==
        "content/support/quy.vi.md:4: aliases: 'quy' is the page's own slug\n");
  CHECK(Parse("support/quy.vi.md", "aliases: [page]\n") ==
        "content/support/quy.vi.md:4: aliases: 'page' is kept for the section's list pages\n");
  CHECK(Parse("support/quy.vi.md", "aliases: [cu, cu]\n") ==
        "content/support/quy.vi.md:4: aliases: 'cu' is listed twice\n");
  CHECK(Parse("support/quy.vi.md", "aliases: cu\n") != "");  // one slug is still a list
}

TEST_CASE("a slug holding a term of the wording list is refused, naming the file") {
  CHECK(SlugProblems("vi", "chung-tay-giup-do-nguoi-lam-lo-nghi-thu") ==
        "content/support/chung-tay-giup-do-nguoi-lam-lo-nghi-thu.vi.md: slug: the file name "
        "'chung-tay-giup-do-nguoi-lam-lo-nghi-thu' holds 'người lầm lỡ', which labels a person by "
        "their past; rename the file in the words of 'người từng mắc sai lầm' and keep the old "
        "slug in `aliases`\n");
  CHECK(SlugProblems("en", "help-for-ex-convict") != "");
  // Whole words only, and a term's except phrases shield it as in text.
  CHECK(SlugProblems("vi", "chung-tay-nghi-thu-cua-lo") == "");
  CHECK(SlugProblems("vi", "nguoi-lam-long-an") == "");
  CHECK(SlugProblems("vi", "doi-tuong-ap-dung") == "");
  CHECK(SlugProblems("vi", "doi-tuong-o-long-an") != "");
  // A term with no ASCII form (Khmer) cannot be in a slug.
  CHECK(SlugProblems("km", "quy") == "");
}

TEST_CASE("clemency check refuses a content file whose slug labels people") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  testing::WriteFile(dir / "content/support/giup-nguoi-lam-lo.vi.md",
                     testing::ReadFile(dir / "content/support/quy.vi.md"));
  std::string output;
  const std::string cli = std::string(CLEMENCY_BINARY) + " check --source " + dir.path();
  CHECK(testing::RunCommand(cli, &output) == 1);
  INFO(output);
  CHECK(output.find("content/support/giup-nguoi-lam-lo.vi.md: slug: the file name "
                    "'giup-nguoi-lam-lo' holds 'người lầm lỡ'") != std::string::npos);
  std::filesystem::rename(dir / "content/support/giup-nguoi-lam-lo.vi.md",
                          dir / "content/support/giup-nghi-thu.vi.md");
  CHECK(testing::RunCommand(cli, &output) == 0);
}
