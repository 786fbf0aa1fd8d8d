#include "content/loader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>

#include "support/fixture.h"

using namespace clemency;

namespace {

SiteConfig Config() {
  SiteConfig config;
  config.base_url = "https://example.org";
  config.default_language = "vi";
  config.languages = {{"vi", "V", "vi_VN", "T"}, {"en", "E", "en_GB", "T"}};
  config.sections = {
      {"guides", "guide"}, {"stories", "story"}, {"support", "support"}, {"rounds", "round"}};
  return config;
}

std::string Check(const std::string& path, const std::string& text, Page* page = nullptr) {
  Diagnostics d;
  Page scratch;
  PageFromText(path, "content/" + path, text, Config(), &d, page ? page : &scratch);
  return d.ToString();
}

}  // namespace

TEST_CASE("a complete guide parses into a Page") {
  Page page;
  std::string errors = Check("guides/dieu-kien.vi.md", R"(---
title: Điều kiện
date: 2026-11-20
updated: 2026-11-21T08:00:00+07:00
reviewed: 2026-11-20
weight: 3
tags: [a, b]
sources:
  - {title: Luật Đặc xá, number: 30/2018/QH14, article: Điều 11}
change_note: Sửa câu.
---
Nội dung.
)",
                             &page);
  CHECK(errors == "");
  CHECK(page.kind == "guide");
  CHECK(page.TranslationKey() == "guides/dieu-kien");
  CHECK(page.PathIn("en") == "/en/guides/dieu-kien/");
  CHECK(page.sources.size() == 1);
  CHECK(page.sources[0].article == "Điều 11");
  CHECK(page.updated.ToRfc3339() == "2026-11-21T08:00:00+07:00");
  CHECK(page.weight == 3);
  CHECK(page.body_first_line == 12);
  CHECK(page.body_markdown() == "Nội dung.\n");
}

TEST_CASE("unknown and mistyped fields are errors with file:line") {
  CHECK(Check("guides/x.vi.md",
              "---\ntitle: X\ndate: 2026-01-01\nreviewed: 2026-01-01\n"
              "sources: [{title: L}]\nweight: heavy\nsumary: typo\ncolour: red\n---\nBody\n") ==
        "content/guides/x.vi.md:6: weight: must be a whole number, not 'heavy'\n"
        "content/guides/x.vi.md:7: sumary: unknown field; did you mean 'summary'?\n"
        "content/guides/x.vi.md:8: colour: unknown field (allowed: title, summary, date, updated, "
        "reviewed, draft, weight, tags, sources, change_note, translation_status, "
        "translated_from, aliases)\n");
}

TEST_CASE("a misspelt required field is one error, not also 'is required'") {
  CHECK(Check("guides/x.vi.md",
              "---\ntitel: X\ndate: 2026-01-01\nreviewed: 2026-01-01\nsources: [{title: L}]\n---\nB\n") ==
        "content/guides/x.vi.md:2: titel: unknown field; did you mean 'title'?\n");
}

TEST_CASE("guides need sources and a review date") {
  CHECK(Check("guides/x.vi.md", "---\ntitle: X\ndate: 2026-01-01\n---\nBody\n") ==
        "content/guides/x.vi.md:2: reviewed: is required\n"
        "content/guides/x.vi.md:2: sources: is required\n");
}

TEST_CASE("stories need a consent record") {
  std::string errors =
      Check("stories/x.vi.md",
            "---\ntitle: X\ndate: 2026-01-01\nsource: {title: R, publisher: P}\n---\nBody\n");
  CHECK(errors == "content/stories/x.vi.md:2: consent: is required\n");
  errors = Check("stories/x.vi.md",
                 "---\ntitle: X\ndate: 2026-01-01\nsource: {title: R, publisher: P}\n"
                 "consent: {basis: personal, given_by: Anh T., date: 2026-01-01, scope: everything}"
                 "\n---\nBody\n");
  CHECK(errors ==
        "content/stories/x.vi.md:5: consent.scope: must be one of initials-only, full-name, not "
        "'everything'\n");
}

TEST_CASE("translations declare their status and source date") {
  CHECK(Check("guides/x.en.md",
              "---\ntitle: X\ndate: 2026-01-01\nreviewed: 2026-01-01\n"
              "sources: [{title: L}]\n---\nBody\n") ==
        "content/guides/x.en.md:2: translation_status: is required\n"
        "content/guides/x.en.md:2: translated_from: is required\n");
  CHECK(Check("guides/x.vi.md",
              "---\ntitle: X\ndate: 2026-01-01\nreviewed: 2026-01-01\n"
              "sources: [{title: L}]\ntranslation_status: reviewed\n---\nBody\n") ==
        "content/guides/x.vi.md:6: translation_status: only translations carry this; vi is the "
        "source language\n");
}

TEST_CASE("file names must be sections, slugs and languages of the site") {
  CHECK(Check("news/x.vi.md", "---\ntitle: X\n---\n") ==
        "content/news/x.vi.md: 'news' is not a section in site/config.yaml\n");
  CHECK(Check("guides/x.fr.md", "---\ntitle: X\n---\n") ==
        "content/guides/x.fr.md: 'fr' is not a language in site/config.yaml\n");
  CHECK(Check("guides/Điều kiện.vi.md", "---\ntitle: X\n---\n") ==
        "content/guides/Điều kiện.vi.md: 'Điều kiện' is not a slug (lowercase letters, digits, "
        "hyphens); rename it to 'dieu-kien'\n");
}

TEST_CASE("front matter must be present and closed") {
  CHECK(Check("guides/x.vi.md", "title: X\n") ==
        "content/guides/x.vi.md:1: must start with YAML front matter between --- lines\n");
  CHECK(Check("guides/x.vi.md", "---\ntitle: X\n") ==
        "content/guides/x.vi.md:1: front matter is not closed by a --- line\n");
  CHECK(Check("guides/x.vi.md", "---\ntitle: [X\n---\nBody\n").find("content/guides/x.vi.md:") ==
        0);
}

TEST_CASE("LoadContent reads a tree and flags translations without a source page") {
  MemoryFileSystem fs;
  fs.Add("content/guides/a.vi.md",
         "---\ntitle: A\ndate: 2026-01-01\nreviewed: 2026-01-01\nsources: [{title: L}]\n---\nA\n");
  fs.Add("content/guides/b.en.md",
         "---\ntitle: B\ndate: 2026-01-01\nreviewed: 2026-01-01\nsources: [{title: L}]\n"
         "translation_status: reviewed\ntranslated_from: 2026-01-01\n---\nB\n");
  fs.Add("content/guides/notes.txt", "ignored");
  Diagnostics d;
  auto pages = LoadContent(fs, "content", "content", Config(), &d);
  CHECK(pages.size() == 2);
  CHECK(d.ToString() ==
        "content/guides/b.en.md: translation without a vi page (expected guides/b.vi.md)\n");
}

TEST_CASE("support entries validate services, phone and coordinates") {
  std::string errors = Check("support/x.vi.md", R"(---
title: X
date: 2026-01-01
province: Nghệ An
district: Vinh
organisation: Hội Phụ nữ
services: [club, cash]
coordinates: {lat: 95, lon: 105}
---
Body
)");
  CHECK(errors.find("content/support/x.vi.md:7: services: 'cash' is not a known service") == 0);
  CHECK(errors.find("content/support/x.vi.md:8: coordinates.lat: must be between -90 and 90") !=
        std::string::npos);
}

TEST_CASE("a story says on what basis it is told: personal consent needs who and when") {
  const std::string head = "---\ntitle: X\ndate: 2026-01-01\nsource: {title: R, publisher: P}\n";
  // Personal consent without a date and without who gave it: both named, at the consent line.
  CHECK(Check("stories/x.vi.md", head + "consent: {basis: personal, scope: initials-only}\n---\nB\n") ==
        "content/stories/x.vi.md:5: consent.given_by: is required\n"
        "content/stories/x.vi.md:5: consent.date: is required\n");
  // A basis the site does not know.
  CHECK(Check("stories/x.vi.md", head + "consent: {basis: verbal}\n---\nB\n") ==
        "content/stories/x.vi.md:5: consent.basis: must be one of personal, published-report, not "
        "'verbal'\n");
  // A story retold from a report records no consent: a consent field there is an error.
  CHECK(Check("stories/x.vi.md",
              head + "consent:\n  basis: published-report\n  given_by: Báo\n---\nB\n") ==
        "content/stories/x.vi.md:7: consent.given_by: only a personal consent has this; a story "
        "retold from a published report records no consent\n");
  Page page;
  CHECK(Check("stories/x.vi.md", head + "consent: {basis: published-report}\n---\nB\n", &page) ==
        "");
  REQUIRE(page.consent);
  CHECK(page.consent->basis == "published-report");
  CHECK_FALSE(page.consent->personal());
  CHECK_FALSE(page.consent->date);
  CHECK(Check("stories/x.vi.md",
              head + "consent: {basis: personal, given_by: Chị H., date: 2026-01-02, scope: "
                     "initials-only}\n---\nB\n",
              &page) == "");
  CHECK(page.consent->personal());
  CHECK(page.consent->date->ToDateString() == "2026-01-02");
}

TEST_CASE("a support entry's verified date needs who confirmed it, and places follow the 2025 reform") {
  const std::string head =
      "---\ntitle: X\ndate: 2026-01-01\nprovince: Long An\norganisation: Công an\nservices: [club]\n";
  CHECK(Check("support/x.vi.md", head + "verified: 2026-11-20\n---\nB\n") ==
        "content/support/x.vi.md:7: verified_by: is required with verified: name the office or role "
        "that confirmed the entry still runs\n");
  CHECK(Check("support/x.vi.md", head + "verified_by: Công an xã\n---\nB\n") ==
        "content/support/x.vi.md:7: verified: is required with verified_by: the date it was "
        "confirmed\n");
  CHECK(Check("support/x.vi.md", head + "current_province: Long An\n---\nB\n") ==
        "content/support/x.vi.md:7: current_province: is the same as province; leave it out when "
        "the province was not merged\n");
  CHECK(Check("support/x.vi.md", head + "district: Bến Lức\nformer_district: Bến Lức\n---\nB\n") ==
        "content/support/x.vi.md:7: district: write the district once: former_district replaces "
        "district\n");
  // Neither verified nor a district: a valid entry that nobody has confirmed yet.
  Page page;
  CHECK(Check("support/x.vi.md", head + "current_province: Tây Ninh\ncommune: Mỹ Yên\n"
                                        "former_district: Bến Lức\n---\nB\n",
              &page) == "");
  REQUIRE(page.support);
  CHECK_FALSE(page.support->verified);
  CHECK(page.support->current_province == "Tây Ninh");
  CHECK(page.support->DistrictShown() == "Bến Lức");
  CHECK(Check("support/x.vi.md",
              head + "verified: 2026-11-20\nverified_by: Công an xã Mỹ Yên\n---\nB\n", &page) == "");
  CHECK(page.support->verified_by == "Công an xã Mỹ Yên");
  // No services: allowed (the source did not say), not guessed.
  CHECK(Check("support/x.vi.md",
              "---\ntitle: X\ndate: 2026-01-01\nprovince: P\norganisation: O\n---\nB\n", &page) == "");
  CHECK(page.support->services.empty());
}

TEST_CASE("an invalid page is one problem: its translations are not also 'without a source'") {
  MemoryFileSystem fs;
  fs.Add("content/guides/b.vi.md",
         "---\ndate: 2026-01-01\nreviewed: 2026-01-01\nsources: [{title: L}]\n---\nB\n");
  fs.Add("content/guides/b.en.md",
         "---\ntitle: B\ndate: 2026-01-01\nreviewed: 2026-01-01\nsources: [{title: L}]\n"
         "translation_status: machine-assisted\ntranslated_from: 2026-01-01\n---\nB\n");
  Diagnostics d;
  auto pages = LoadContent(fs, "content", "content", Config(), &d);
  CHECK(pages.size() == 1);
  CHECK(d.ToString() == "content/guides/b.vi.md:2: title: is required\n");
}

TEST_CASE("content files that link out of the source folder or are too large are refused") {
  testing::TempDir dir;
  const std::string page =
      "---\ntitle: A\ndate: 2026-01-01\nreviewed: 2026-01-01\nsources: [{title: L}]\n---\nA\n";
  testing::WriteFile(dir / "src/content/guides/a.vi.md", page);
  testing::WriteFile(dir / "src/content/shared/b.md", page);
  testing::WriteFile(dir / "outside.md", page);
  std::filesystem::create_symlink(dir / "outside.md", dir / "src/content/guides/leak.vi.md");
  std::filesystem::create_symlink(dir / "src/content/guides/a.vi.md", dir / "src/content/guides/c.vi.md");
  testing::WriteFile(dir / "src/content/guides/big.vi.md", page + std::string(2 << 20, 'x') + "\n");
  SiteConfig config = Config();
  config.max_content_file_bytes = 1 << 20;
  for (bool snapshot : {false, true}) {
    INFO((snapshot ? "snapshot" : "disk"));
    std::unique_ptr<FileSystem> fs;
    if (snapshot) {
      fs = std::make_unique<SnapshotFileSystem>(std::vector<std::string>{dir / "src/content"});
    } else {
      fs = std::make_unique<DiskFileSystem>();
    }
    Diagnostics d;
    auto pages = LoadContent(*fs, dir / "src/content", "content", config, &d);
    CHECK(pages.size() == 2);  // a, and c: a link that stays inside the source folder
    std::string errors = d.ToString();
    CHECK(errors.find("content/guides/leak.vi.md: file: is a symbolic link that leads outside "
                      "the source folder\n") != std::string::npos);
    CHECK(errors.find("content/guides/big.vi.md: file: too large (2048 KiB; the limit is 1 MiB") !=
          std::string::npos);
  }
}

TEST_CASE("a round carries its decision, status, key dates and conditions") {
  Page page;
  std::string errors = Check("rounds/dot-2025.vi.md", R"(---
title: Đợt 2
date: 2026-12-01
reviewed: 2026-12-01
sources:
  - {title: Quyết định, number: 1244/2025/QĐ-CTN}
decision: 1244/2025/QĐ-CTN
decision_date: 2025-07-03
status: released
key_dates:
  - {label: Công bố danh sách, date: 2025-08-29}
  - {label: Có hiệu lực, date: 2025-09-01}
conditions: [14 trường hợp không được đề nghị]
---
Nội dung.
)",
                             &page);
  CHECK(errors.empty());
  REQUIRE(page.round);
  CHECK(page.kind == "round");
  CHECK(page.round->decision == "1244/2025/QĐ-CTN");
  CHECK(page.round->decision_date->ToDateString() == "2025-07-03");
  CHECK(page.round->status == "released");
  REQUIRE(page.round->key_dates.size() == 2);
  CHECK(page.round->key_dates[1].label == "Có hiệu lực");
  CHECK(page.round->conditions == std::vector<std::string>{"14 trường hợp không được đề nghị"});
}

TEST_CASE("a round's status and key dates are checked with file:line") {
  std::string errors = Check("rounds/x.vi.md", R"(---
title: Đợt
date: 2026-12-01
reviewed: 2026-12-01
sources: [{title: Luật, number: 30/2018/QH14}]
status: finished
key_dates:
  - {label: Có hiệu lực}
  - 2025-09-01
consent: {given_by: A, date: 2026-01-01, scope: full-name}
---
Nội dung.
)");
  CHECK(errors.find("content/rounds/x.vi.md:6: status: must be one of") != std::string::npos);
  CHECK(errors.find("content/rounds/x.vi.md:8: key_dates[0].date: is required") !=
        std::string::npos);
  CHECK(errors.find(
            "content/rounds/x.vi.md:9: key_dates[1]: must be a mapping with label and date") !=
        std::string::npos);
  CHECK(errors.find("content/rounds/x.vi.md:10: consent: unknown field") != std::string::npos);
  // Without a status or key dates at all.
  std::string missing = Check("rounds/y.vi.md", R"(---
title: Đợt
date: 2026-12-01
reviewed: 2026-12-01
sources: [{title: Luật, number: 30/2018/QH14}]
---
Nội dung.
)");
  CHECK(missing.find("status: is required") != std::string::npos);
  CHECK(missing.find("key_dates: is required") != std::string::npos);
}

TEST_CASE("with a province list, a support entry names a listed province and today's for a former one") {
  SiteConfig config = Config();
  config.provinces = {
      {"tay-ninh", {{"vi", "Tây Ninh"}, {"en", "Tay Ninh"}}, {"Long An"}, false},
      {"nghe-an", {{"vi", "Nghệ An"}, {"en", "Nghe An"}}, {}, false},
      {"toan-quoc", {{"vi", "Toàn quốc"}, {"en", "Nationwide"}}, {}, true}};
  auto check = [&](const std::string& place) {
    Diagnostics d;
    Page page;
    PageFromText("support/x.vi.md", "content/support/x.vi.md",
                 "---\ntitle: X\ndate: 2026-01-01\n" + place + "organisation: O\n---\nB\n", config,
                 &d, &page);
    return d.ToString();
  };
  CHECK(check("province: Nghệ An\n") == "");
  CHECK(check("province: nghe an\n") == "");  // folded: any case, no diacritics
  CHECK(check("province: Toàn quốc\n") == "");
  CHECK(check("province: Long An\ncurrent_province: Tây Ninh\n") == "");
  CHECK(check("province: Long An\n") ==
        "content/support/x.vi.md:4: current_province: 'Long An' was merged into Tây Ninh on 1 July "
        "2025: write current_province: Tây Ninh\n");
  CHECK(check("province: Long An\ncurrent_province: Nghệ An\n") ==
        "content/support/x.vi.md:5: current_province: 'Long An' was merged into Tây Ninh on 1 July "
        "2025: write current_province: Tây Ninh\n");
  CHECK(check("province: Nghe Ann\n") ==
        "content/support/x.vi.md:4: province: 'Nghe Ann' is not one of the 34 provinces, a former "
        "province or the whole country (site/provinces.yaml); did you mean 'Nghệ An'?\n");
  CHECK(check("province: Atlantis\n") ==
        "content/support/x.vi.md:4: province: 'Atlantis' is not one of the 34 provinces, a former "
        "province or the whole country (site/provinces.yaml)\n");
}
