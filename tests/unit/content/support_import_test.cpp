#include "content/support_import.h"

#include <catch2/catch.hpp>

using namespace clemency;

namespace {

const char* kEntry = R"(---
title: Câu lạc bộ
date: 2026-11-20
province: Nghệ An
district: Vinh
organisation: Hội Phụ nữ
services: [club]
contact:
  hours: sáng thứ Hai
verified: 2026-11-01
verified_by: Công an phường
---
Nội dung.
)";

struct Fixture {
  MemoryFileSystem fs;
  SiteConfig config;
  Fixture() {
    config.default_language = "vi";
    config.languages = {{"vi", "V", "vi_VN", "T"}, {"en", "E", "en_GB", "T"}};
    config.sections = {{"support", "support"}};
    fs.Add("site/content/support/clb.vi.md", kEntry);
    std::string english = kEntry;
    english.replace(english.find("verified"), 0,
                    "translation_status: machine-assisted\ntranslated_from: 2026-11-20\n");
    fs.Add("site/content/support/clb.en.md", english);
    // The import's change notes come from the interface strings.
    fs.Add("site/site/i18n/vi.yaml",
           "support_contact_updated_note: \"Cập nhật liên hệ {date, date, short}\"\n"
           "support_contact_confirmed_note: \"Xác nhận lại {date, date, short}\"\n");
    fs.Add("site/site/i18n/en.yaml",
           "support_contact_updated_note: \"Contact updated {date, date, short}\"\n"
           "support_contact_confirmed_note: \"Contact confirmed {date, date, short}\"\n");
  }
  std::vector<FileUpdate> Import(const std::string& csv, Diagnostics* d) {
    return PlanSupportImport(fs, "site", "contacts.csv", csv, config,
                             *ParseDateTime("2026-11-25", 420), d);
  }
};

}  // namespace

TEST_CASE("a valid row updates the contact of every translation") {
  Fixture f;
  Diagnostics d;
  auto updates = f.Import(
      "slug,phone,address,hours,verified,verified_by\n"
      "clb,+84 238 1234 567,\"Số 1, Vinh\",,2026-11-24,Công an phường Vinh Tân\n",
      &d);
  INFO(d.ToString());
  REQUIRE(d.empty());
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].path == "site/content/support/clb.vi.md");
  const std::string& text = updates[0].text;
  CHECK(text.find("contact:\n  phone: \"+84 238 1234 567\"\n  address: \"Số 1, Vinh\"\nverified: "
                  "2026-11-24\nverified_by: \"Công an phường Vinh Tân\"\n") != std::string::npos);
  CHECK(text.find("verified_by: Công an phường\n") == std::string::npos);  // replaced too
  CHECK(text.find("sáng thứ Hai") == std::string::npos);  // the old contact block is replaced
  CHECK(text.find("2026-11-01") == std::string::npos);
  CHECK(text.find("Nội dung.") != std::string::npos);
  CHECK(updates[1].text.find("translation_status: machine-assisted") != std::string::npos);
}

TEST_CASE("every bad row is reported with its line and nothing is imported") {
  Fixture f;
  Diagnostics d;
  auto updates = f.Import(
      "slug,phone,verified,verified_by\n"
      "clb,0238 1234 567,2026-11-24,Công an phường\n"
      "missing,0238 1234 567,2026-11-24,Công an phường\n"
      "clb,12,2026-12-30,Công an phường\n"
      "clb,,2026-11-24,\n",
      &d);
  CHECK(updates.empty());
  CHECK(d.ToString() ==
        "contacts.csv:3: slug: no support entry content/support/missing.vi.md\n"
        "contacts.csv:4: slug: 'clb' appears in more than one row\n"
        "contacts.csv:4: phone: '12' is not a phone number (8 to 15 digits, spaces and + . - ( ) "
        "allowed)\n"
        "contacts.csv:4: verified: 2026-12-30 is in the future\n"
        "contacts.csv:5: slug: 'clb' appears in more than one row\n"
        "contacts.csv:5: gives no phone, address or hours\n"
        "contacts.csv:5: verified_by: is empty: name the office or role that confirmed the entry\n");
}

TEST_CASE("the header must name known columns, slug, verified and verified_by included") {
  Fixture f;
  Diagnostics d;
  CHECK(f.Import("slug,email\nclb,a@b.vn\n", &d).empty());
  CHECK(d.ToString() ==
        "contacts.csv:1: email: unknown column (expected "
        "slug,phone,address,hours,verified,verified_by)\n"
        "contacts.csv:1: verified: required column is missing\n"
        "contacts.csv:1: verified_by: required column is missing\n");
}

TEST_CASE("a changed entry is dated at the import with a note in its language") {
  Fixture f;
  Diagnostics d;
  auto updates = f.Import(
      "slug,phone,address,hours,verified,verified_by\n"
      "clb,+84 238 1234 567,,,2026-11-24,Công an phường Vinh Tân\n",
      &d);
  INFO(d.ToString());
  REQUIRE(d.empty());
  REQUIRE(updates.size() == 2);
  // Before the fix the files kept their old `updated` (none: the date) and had no note.
  CHECK(updates[0].text.find("updated: 2026-11-25T00:00:00+07:00\n") != std::string::npos);
  CHECK(updates[0].text.find("change_note: \"Cập nhật liên hệ") != std::string::npos);
  CHECK(updates[1].text.find("change_note: \"Contact updated") != std::string::npos);
  // The translation was made from the source as it was: it stays in step with it.
  CHECK(updates[1].text.find("translated_from: 2026-11-25T00:00:00+07:00\n") != std::string::npos);
}

TEST_CASE("an entry confirmed again says so; the same row again changes nothing") {
  Fixture f;
  Diagnostics d;
  auto updates = f.Import(
      "slug,hours,verified,verified_by\nclb,sáng thứ Hai,2026-11-24,Công an phường\n", &d);
  INFO(d.ToString());
  REQUIRE(d.empty());
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].text.find("change_note: \"Xác nhận lại") != std::string::npos);
  for (const auto& update : updates) f.fs.Add(update.path, update.text);
  CHECK(f.Import("slug,hours,verified,verified_by\nclb,sáng thứ Hai,2026-11-24,Công an phường\n",
                 &d).empty());
  CHECK(d.empty());
}

TEST_CASE("a translation already behind its source is not marked as in step") {
  Fixture f;
  std::string english = *f.fs.ReadFile("site/content/support/clb.en.md");
  english.replace(english.find("translated_from: 2026-11-20"), 27, "translated_from: 2026-11-10");
  f.fs.Add("site/content/support/clb.en.md", english);
  Diagnostics d;
  auto updates = f.Import(
      "slug,phone,verified,verified_by\nclb,+84 238 1234 567,2026-11-24,Công an phường\n", &d);
  INFO(d.ToString());
  REQUIRE(updates.size() == 2);
  CHECK(updates[1].text.find("translated_from: 2026-11-10\n") != std::string::npos);
}
