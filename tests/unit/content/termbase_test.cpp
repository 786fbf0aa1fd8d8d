#include "content/termbase.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "content/checks.h"

using namespace clemency;

namespace {

SiteConfig Languages() {
  SiteConfig config;
  config.languages = {
      {"vi", "V", "vi_VN", "T"}, {"en", "E", "en_GB", "T"}, {"km", "K", "km_KH", "T"}};
  return config;
}

const char* kTerms = R"(concepts:
  - id: special amnesty
    preferred: {vi: đặc xá, en: special amnesty, km: ការលើកលែងទោសពិសេស}
    also:
      km: [លើកលែងទោសពិសេស]
    variants:
      en: [pardon]
      km: [លើកលែងទោស]
  - id: general amnesty
    preferred: {vi: đại xá, en: general amnesty, km: ការអភ័យទោសទូទៅ}
    variants:
      km: [ការលើកលែងទោសទូទៅ]
)";

Termbase Load(const std::string& yaml, Diagnostics* d) {
  MemoryFileSystem fs;
  fs.Add("site/terms.yaml", yaml);
  return LoadTermbase(fs, "site/terms.yaml", Languages(), d);
}

Page MakePage(const std::string& lang, const std::string& text) {
  Page page;
  page.lang = lang;
  page.source_path = "content/guides/x." + lang + ".md";
  page.source_text = text;
  page.body_offset = text.find("\n---\n", 3) + 5;
  page.body_first_line = 1 + static_cast<int>(std::count(text.begin(), text.begin() +
                                                          static_cast<long>(page.body_offset), '\n'));
  return page;
}

std::string Terms(const std::string& lang, const std::string& text) {
  Diagnostics d;
  Termbase termbase = Load(kTerms, &d);
  REQUIRE(d.empty());
  CheckTerms(MakePage(lang, text), termbase, lang == "km" ? "km_KH" : "en_GB", &d);
  return d.ToString();
}

std::string Numerals(const std::string& style, const std::string& text) {
  Diagnostics d;
  CheckNumerals(MakePage("km", text), style, &d);
  return d.ToString();
}

}  // namespace

TEST_CASE("a termbase variant is reported at its line with the preferred term") {
  CHECK(Terms("en", "---\ntitle: Help\n---\nA pardon lets you out early.\n") ==
        "content/guides/x.en.md:4: terms: 'pardon' is not the site's term for special amnesty; "
        "write 'special amnesty' (site/terms.yaml)\n");
  CHECK(Terms("en", "---\ntitle: Help\n---\nSpecial amnesty lets you out early.\n").empty());
  // Whole words only: "pardoned" is not the variant "pardon".
  CHECK(Terms("en", "---\ntitle: Help\n---\nPardoned.\n").empty());
}

TEST_CASE("a Khmer variant inside an accepted term is that term, not the variant") {
  // ការលើកលែងទោស alone is the variant; inside ការលើកលែងទោសពិសេស it is the preferred term.
  CHECK(Terms("km", "---\ntitle: ក\n---\nការលើកលែងទោសពិសេស។\n").empty());
  CHECK(Terms("km", "---\ntitle: ក\n---\nការលើកលែងទោសពិសេស។\nការលើកលែងទោស។\n") ==
        "content/guides/x.km.md:5: terms: 'លើកលែងទោស' is not the site's term for special amnesty; "
        "write 'ការលើកលែងទោសពិសេស' (site/terms.yaml)\n");
  // General amnesty written with the special-amnesty word is reported as general amnesty's
  // variant (and as a bare special-amnesty word: the editor sees both meanings).
  std::string errors = Terms("km", "---\ntitle: ក\n---\nការលើកលែងទោសទូទៅ\n");
  CHECK(errors.find("'ការលើកលែងទោសទូទៅ' is not the site's term for general amnesty; write "
                    "'ការអភ័យទោសទូទៅ'") != std::string::npos);
}

TEST_CASE("front matter other than what pages show is not checked for terms") {
  // A story's source title quotes a report ("clemency", "pardon" there are the report's words).
  CHECK(Terms("en", "---\ntitle: Help\nsource:\n  title: \"A pardon\"\n---\nBody.\n").empty());
  CHECK(Terms("en", "---\ntitle: A pardon\n---\nBody.\n").find("x.en.md:2: terms:") !=
        std::string::npos);
}

TEST_CASE("the termbase file is validated with file, line and field") {
  Diagnostics d;
  Load("colour: red\nconcepts:\n  - id: x\n    preferred: {vi: a, en: b}\n", &d);
  CHECK(d.ToString() ==
        "site/terms.yaml:1: colour: unknown field (allowed: concepts)\n"
        "site/terms.yaml:4: concepts[0].preferred.km: is required\n");
  // No file: no termbase, no problem (the file is optional).
  MemoryFileSystem empty;
  Diagnostics none;
  CHECK(LoadTermbase(empty, "site/terms.yaml", Languages(), &none).concepts.empty());
  CHECK(none.empty());
}

TEST_CASE("one numeral style per language: western digits in Khmer text are reported") {
  CHECK(Numerals("khmer", "---\ntitle: ឆ្នាំ ២០២៥\n---\nនៅឆ្នាំ 2024 មាន ៣.៧៦៥ នាក់។\n") ==
        "content/guides/x.km.md:4: numerals: '2024' is written with 0–9; this language writes "
        "numbers with ០–៩ (numerals in site/config.yaml)\n");
  // A document number or a link keeps its digits; front matter dates are not text.
  CHECK(Numerals("khmer",
                 "---\ntitle: ក\ndate: 2026-11-20\n---\nសេចក្តីសម្រេច 22/2023/QĐ-TTg។ "
                 "[ក](/km/guides/a-1/)\n")
            .empty());
  CHECK(Numerals("western", "---\ntitle: ក\n---\nឆ្នាំ ២០២៤\n").find("x.km.md:4: numerals:") !=
        std::string::npos);
  CHECK(Numerals("western", "---\ntitle: ក\n---\nឆ្នាំ 2024\n").empty());
}

// Issue 21: the self-check's and the interface's strings are checked like content, in the
// language each line is shown in, at the file's own lines.
TEST_CASE("site/ strings are checked in the language each is shown in, anchors and ICU left out") {
  MemoryFileSystem fs;
  fs.Add("src/site/selfcheck/rules.yaml",
         "rules:\n"
         "  - id: a\n"
         "    anchor:\n"
         "      km: ២-x-2\n"                            // 4: a heading id, not shown
         "    text:\n"
         "      vi: \"ân xá 14\"\n"                     // 6: vi variant; vi digits are fine
         "      km: \"លើកលែងទោស 14 ឆ្នាំ\"\n");         // 7: km variant and Western digits
  fs.Add("src/site/i18n/km.yaml",
         "# 1 comment\n"
         "count: \"{n, plural, =0 {គ្មាន} other {# ទំព័រ}}\"\n"  // 2: ICU syntax only
         "note: \"សូមសួរ លើកលែងទោស\"\n");                 // 3: variant
  const auto pages = SiteStringPages(fs, "src", Languages());
  REQUIRE(pages.size() == 4);  // rules.yaml in vi, en, km; i18n/km.yaml (the others are absent)
  Diagnostics d;
  Termbase termbase = Load(kTerms, &d);
  REQUIRE(d.empty());
  for (const Page& page : pages) {
    CheckTerms(page, termbase, page.lang == "km" ? "km_KH" : "en_GB", &d);
    if (page.lang == "km") CheckNumerals(page, "khmer", &d);
  }
  const std::string out = d.ToString();
  INFO(out);
  CHECK(out.find("site/selfcheck/rules.yaml:7: terms: 'លើកលែងទោស'") != std::string::npos);
  CHECK(out.find("site/selfcheck/rules.yaml:7: numerals: '14'") != std::string::npos);
  CHECK(out.find("site/i18n/km.yaml:3: terms: 'លើកលែងទោស'") != std::string::npos);
  CHECK(out.find(":4:") == std::string::npos);
  CHECK(out.find("km.yaml:2:") == std::string::npos);
  CHECK(out.find("km.yaml:1:") == std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 3);
}
