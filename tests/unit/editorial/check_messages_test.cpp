// The content checks' problems as the admin's catalog messages: every problem a broken page file
// really causes has a code, with the arguments its message needs, and its English text is the
// one `clemency check` prints.
#include "editorial/check_messages.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

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

// One change to a file of the site: `find` (its first occurrence) replaced by `replace`, or,
// with no `find`, the whole file written as `replace` (made if it is new).
struct FileEdit {
  std::string file;
  std::string find;
  std::string replace;
};

// What a site's files hold before `edits`, to put them back (nullopt: the file was not there).
using Saved = std::vector<std::pair<std::string, std::optional<std::string>>>;

Saved Apply(const std::string& dir, const std::vector<FileEdit>& edits) {
  Saved saved;
  for (const FileEdit& edit : edits) {
    const std::string path = dir + "/" + edit.file;
    std::optional<std::string> before;
    if (testing::Exists(path)) before = testing::ReadFile(path);
    saved.emplace_back(path, before);
    std::string text = edit.replace;
    if (!edit.find.empty()) {
      REQUIRE(before);
      size_t at = before->find(edit.find);
      INFO(edit.file << " has no '" << edit.find << "'");
      REQUIRE(at != std::string::npos);
      text = std::string(*before).replace(at, edit.find.size(), edit.replace);
    }
    testing::WriteFile(path, text);
  }
  return saved;
}

void Restore(const Saved& saved) {
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
    if (it->second) {
      testing::WriteFile(it->first, *it->second);
    } else {
      std::filesystem::remove(it->first);
    }
  }
}

// The problems and warnings the real site load reports with `edits` made, then undone.
std::vector<Diagnostic> LoadWith(const std::string& dir, const std::vector<FileEdit>& edits) {
  Saved saved = Apply(dir, edits);
  Diagnostics diagnostics;
  Site::Load(std::make_shared<DiskFileSystem>(), dir, &diagnostics);
  Restore(saved);
  std::vector<Diagnostic> all = diagnostics.items();
  all.insert(all.end(), diagnostics.warnings().begin(), diagnostics.warnings().end());
  return all;
}

std::string Describe(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

struct Case {
  const char* key;  // the kind the edits must produce (other problems may come with it)
  std::vector<FileEdit> edits;
};

// Loads the site with each case's edits and checks that every problem it reports has a catalog
// message and that the case's own kind is among them; returns the kinds seen.
std::set<std::string> RunCases(const std::string& dir, const std::vector<Case>& cases) {
  std::set<std::string> seen;
  for (const Case& c : cases) {
    std::vector<Diagnostic> found = LoadWith(dir, c.edits);
    INFO("case " << c.key << ":\n" << Describe(found));
    std::set<std::string> keys;
    for (const Diagnostic& d : found) {
      CheckMessage message = CheckMessageOf(d);
      INFO("no code: " << d.ToString());
      CHECK_FALSE(message.key.empty());
      CHECK(message.key != "check_other");  // a page file's problem has words of its own
      keys.insert(message.key);
    }
    CHECK(keys.count(c.key) == 1);
    seen.insert(keys.begin(), keys.end());
  }
  return seen;
}

const char* const kGuide = "content/guides/beta.vi.md";
const char* const kLinked = "content/guides/alpha.vi.md";  // the home page links to its heading
const char* const kEnglish = "content/guides/alpha.en.md";
const char* const kStory = "content/stories/mot.vi.md";
const char* const kSupport = "content/support/quy.vi.md";
const char* const kRoundFile = "content/rounds/dot-thu.vi.md";
const char* const kBody = "Chỉ có tiếng Việt.";  // beta.vi.md's body
const char* const kSources = "sources:\n  - title: Hiến pháp 2013\n    article: Điều 88";

const std::string kGuideText =
    "---\ntitle: Trang mới\ndate: 2026-02-01\nreviewed: 2026-02-01\nsources:\n"
    "  - title: Hiến pháp 2013\n---\nNội dung.\n";
const std::string kTranslationText =
    "---\ntitle: New page\ndate: 2026-02-01\nreviewed: 2026-02-01\n"
    "translation_status: reviewed\ntranslated_from: 2026-02-01\nsources:\n"
    "  - title: Constitution 2013\n---\nText.\n";
const std::string kRoundText =
    "---\ntitle: Đợt thử\ndate: 2026-02-01\nreviewed: 2026-02-01\nstatus: announced\n"
    "key_dates:\n  - label: Nộp hồ sơ\n    date: 2026-03-01\nsources:\n  - title: Luật Đặc xá\n"
    "---\nThông tin về đợt.\n";
const std::string kKhmerText =
    "---\ntitle: លក្ខខណ្ឌ\ndate: 2026-01-01\nreviewed: 2026-02-15\n"
    "translation_status: reviewed\ntranslated_from: 2026-01-01\nsources:\n"
    "  - title: ច្បាប់\n---\nព័ត៌មាន 2026។\n";

std::string With(std::string text, const std::string& find, const std::string& replace) {
  return text.replace(text.find(find), find.size(), replace);
}

FileEdit InGuide(const std::string& find, const std::string& replace) {
  return {kGuide, find, replace};
}
FileEdit GuideBody(const std::string& body) { return {kGuide, kBody, body}; }

// The name, the frame and the YAML of a page file.
std::vector<Case> FileAndYamlCases() {
  return {
      {"check_file_deep", {{"content/guides/mot/hai.vi.md", "", kGuideText}}},
      {"check_file_language", {{"content/guides/moi.md", "", kGuideText}}},
      {"check_file_unknown_language", {{"content/guides/moi.fr.md", "", kGuideText}}},
      {"check_file_top", {{"content/moi.vi.md", "", kGuideText}}},
      {"check_file_section", {{"content/tin-tuc/moi.vi.md", "", kGuideText}}},
      {"check_file_slug_hint", {{"content/guides/Trang_Moi.vi.md", "", kGuideText}}},
      {"check_file_slug", {{"content/guides/__.vi.md", "", kGuideText}}},
      {"check_file_reserved", {{"content/guides/page.vi.md", "", kGuideText}}},
      {"check_file_large",
       {{"content/guides/lon.vi.md", "", kGuideText + std::string(5 << 20, 'a')}}},
      {"check_translation_source", {{"content/guides/moi.en.md", "", kTranslationText}}},
      {"check_no_front_matter", {{kGuide, "", "Chỉ có nội dung.\n"}}},
      {"check_front_matter_open", {InGuide("---\nChỉ có", "Chỉ có")}},
      {"check_front_matter_fields", {{kGuide, "", "---\n- một\n- hai\n---\nNội dung.\n"}}},
      {"check_yaml_colon", {InGuide("weight: 1", "summary: Bước 1: nộp đơn")}},
      {"check_yaml_no_colon", {InGuide("weight: 1", "weight: 1\nnộp đơn")}},
      {"check_yaml_quote", {InGuide("weight: 1", "summary: \"Nộp đơn")}},
      {"check_yaml_indent", {InGuide("weight: 1", "tags:\n  - một\n - hai")}},
      {"check_yaml_list_item", {InGuide("    article: Điều 88", "  article: Điều 88")}},
      {"check_yaml_list_open", {InGuide("weight: 1", "tags: [một, hai")}},
      {"check_yaml_map_open", {InGuide("weight: 1", "summary: {một: hai")}},
      {"check_yaml_tab", {InGuide("weight: 1", "\tweight: 1")}},
      {"check_yaml_character", {InGuide("weight: 1", "summary: `Nộp đơn")}},
      {"check_yaml_bang", {InGuide("weight: 1", "summary: !e!x Nộp đơn")}},
      {"check_yaml_value", {InGuide("weight: 1", "summary: ]")}},
      {"check_yaml_other_detail", {InGuide("weight: 1", "summary: \"a\\q\"")}},
      {"check_yaml_key", {InGuide("weight: 1", "[một]: hai")}},
      {"check_yaml_twice", {InGuide("weight: 1", "title: Lần hai")}},
      {"check_yaml_alias", {InGuide("weight: 1", "summary: *tom-tat")}},
      {"check_slug_wording", {{"content/guides/dan-tu.vi.md", "", kGuideText}}},
  };
}

// The fields of each kind of page.
std::vector<Case> FieldCases() {
  const std::string consent =
      "consent:\n  basis: personal\n  given_by: Người trong câu chuyện\n  date: 2026-02-01\n"
      "  scope: initials-only";
  const std::string verified = "verified: 2026-02-10\n";
  return {
      {"check_unknown_field_hint", {InGuide("weight: 1", "wieght: 1")}},
      {"check_unknown_field", {InGuide("weight: 1", "weight: 1\nghi_chu: một")}},
      {"check_required", {InGuide("title: Đặc xá là gì\n", "")}},
      {"check_body_empty", {GuideBody("")}},
      {"check_not_empty", {InGuide("title: Đặc xá là gì", "title: \"\"")}},
      {"check_text", {InGuide("weight: 1", "weight: 1\ntags: [\"\"]")}},
      {"check_type_text", {InGuide("title: Đặc xá là gì", "title: [Đặc xá]")}},
      {"check_type_map", {{kStory, consent, "consent: có"}}},
      {"check_type_list", {InGuide("weight: 1", "tags: an ninh")}},
      {"check_whole_number", {InGuide("weight: 1", "weight: một")}},
      {"check_number", {{kSupport, verified, "coordinates:\n  lat: bắc\n  lon: 106\n" + verified}}},
      {"check_range", {{kSupport, verified, "coordinates:\n  lat: 100\n  lon: 106\n" + verified}}},
      {"check_boolean", {InGuide("weight: 1", "draft: có")}},
      {"check_date", {InGuide("date: 2026-02-01", "date: hôm qua")}},
      {"check_choice", {{kEnglish, "machine-assisted", "máy dịch"}}},
      {"check_updated_early",
       {InGuide("date: 2026-02-01", "date: 2026-02-01\nupdated: 2026-01-01")}},
      {"check_sources_none", {InGuide(kSources, "sources: []")}},
      {"check_source_item", {InGuide(kSources, "sources:\n  - Hiến pháp 2013")}},
      {"check_url", {InGuide("Điều 88", "Điều 88\n    url: www.example.org")}},
      {"check_translation_only", {InGuide("weight: 1", "translation_status: reviewed")}},
      {"check_consent_personal_only", {{kStory, "basis: personal", "basis: published-report"}}},
      {"check_service", {{kSupport, "[loans, club]", "[loans, nhà ở]"}}},
      {"check_phone", {{kSupport, verified, "contact:\n  phone: gọi xã\n" + verified}}},
      {"check_district_twice", {{kSupport, "Bến Lức", "Bến Lức\ndistrict: Bến Lức"}}},
      {"check_same_province",
       {{kSupport, "current_province: Tây Ninh", "current_province: Long An"}}},
      {"check_unknown_province", {{kSupport, "province: Long An", "province: Atlantis"}}},
      {"check_unknown_province_hint", {{kSupport, "province: Long An", "province: Long Ann"}}},
      {"check_former_province", {{kSupport, "current_province: Tây Ninh\n", ""}}},
      {"check_verified_by", {{kSupport, "verified_by: Công an xã Mỹ Yên\n", ""}}},
      {"check_verified", {{kSupport, verified, ""}}},
      {"check_choice", {{kRoundFile, "", With(kRoundText, "announced", "sắp tới")}}},
      {"check_key_date_item",
       {{kRoundFile, "", With(kRoundText, "  - label: Nộp hồ sơ\n    date:", "  -")}}},
      {"check_aliases_list_page",
       {{"content/guides/_index.vi.md", "", With(kGuideText, "title:", "aliases: [cu]\ntitle:")}}},
      {"check_alias_slug", {InGuide("weight: 1", "aliases: [Cu_Moi]")}},
      {"check_alias_own", {InGuide("weight: 1", "aliases: [beta]")}},
      {"check_alias_reserved", {InGuide("weight: 1", "aliases: [page]")}},
      {"check_alias_twice", {InGuide("weight: 1", "aliases: [cu, cu]")}},
      {"check_alias_taken", {InGuide("weight: 1", "aliases: [alpha]")}},
      {"check_alias_claimed",
       {InGuide("weight: 1", "aliases: [cu]"), {kLinked, "title:", "aliases: [cu]\ntitle:"}}},
  };
}

// The words, links and images of the body.
std::vector<Case> BodyCases() {
  const std::string vi_long =  // 29 syllables each: under the sentence limit, over the average
      "Người được đặc xá cần mang theo giấy tờ tùy thân và giấy chứng nhận đặc xá khi đến làm "
      "thủ tục tại công an xã nơi mình ở. Cán bộ công an xã sẽ kiểm tra giấy tờ, ghi tên vào sổ "
      "và hướng dẫn các bước tiếp theo cho người được đặc xá cùng gia đình.";
  const std::string en_hard =
      "Administrative documentation requirements necessitate comprehensive verification. "
      "Institutional authorities systematically evaluate individual eligibility considerations "
      "regarding responsibilities. Supplementary certification accompanies applications "
      "demonstrating exemplary institutional behaviour. Correspondence concerning "
      "determinations originates from provincial administrative organisations.";
  const std::string later = "date: 2026-01-01\nupdated: 2026-03-01T10:00:00+07:00";
  return {
      {"check_wording", {GuideBody("Anh ấy không phải dân tù.")}},
      {"check_term", {GuideBody("Đây là trang về ân xá.")}},
      {"check_numerals", {{"content/guides/alpha.km.md", "", kKhmerText}}},
      {"check_sentence", {GuideBody(With(vi_long, "ở. Cán", "ở và cán"))}},
      {"check_readability", {GuideBody(vi_long)}},
      {"check_readability_flesch", {{kEnglish, "You write a petition.", en_hard}}},
      {"check_raw_html", {GuideBody("<b>Chú ý</b>")}},
      {"check_link", {GuideBody("[Xem](/vi/guides/khong-co/)")}},
      {"check_anchor", {GuideBody("[Xem](/vi/guides/alpha/#khong-co)")}},
      // The home page links to alpha; put off, its link is broken until then.
      {"check_link_scheduled", {{kLinked, later, "date: 2099-01-01"}}},
      // A page going live before the one it links to (the second already put off).
      {"check_link_scheduled_later",
       {{kLinked, later, "date: 2099-01-01"},
        InGuide("date: 2026-02-01", "date: 2098-01-01"),
        GuideBody("[Xem](/vi/guides/alpha/)")}},
      {"check_link_scheme", {GuideBody("[Xem](javascript:alert(1))")}},
      // News of a round no round page has (the round page above is the current one).
      {"check_home_round",
       {{"content/_index.vi.md", "Xin chào.", "Xin chào. Đã có Quyết định 9/2099/QĐ-CTN."}}},
      {"check_image_url", {GuideBody("![Ảnh](javascript:alert(1))")}},
      {"check_image_missing", {GuideBody("![Ảnh](/static/khong-co.png)")}},
      {"check_alt", {GuideBody("![](https://example.org/anh.png)")}},
  };
}

// A problem made with a code: its English text and the admin's message with its arguments.
struct Made {
  std::string message;
  CheckMessage check;
};

Made Make(const std::string& field, Problem problem) {
  Diagnostics diagnostics;
  diagnostics.Add("f.md", 3, field, std::move(problem));
  const Diagnostic& d = diagnostics.items().front();
  return {d.message, CheckMessageOf(d)};
}

}  // namespace

TEST_CASE("check messages: a problem's code is its catalog key and its arguments follow field") {
  auto wording =
      Make("wording", {Diag::check_wording, {{"term", "phạm nhân"}, {"use", "người được đặc xá"}}});
  CHECK(wording.message == "'phạm nhân' labels a person by their past; write 'người được đặc xá'");
  CHECK(wording.check.key == "check_wording");
  CHECK(Arg(wording.check, "field") == "wording");
  CHECK(Arg(wording.check, "term") == "phạm nhân");
  CHECK(Arg(wording.check, "use") == "người được đặc xá");
  CHECK(wording.check.args.front().first == "field");
  auto sentence = Make("readability", {Diag::check_sentence,
                                       {{"count", "41"},
                                        {"unit", "syllables"},
                                        {"limit", "30"},
                                        {"start", "Người được đặc xá phải"}}});
  CHECK(sentence.message ==
        "one sentence has 41 syllables (at most 30): 'Người được đặc xá phải'; split it");
  CHECK(sentence.check.key == "check_sentence");
  CHECK(Arg(sentence.check, "count") == "41");
  CHECK(Arg(sentence.check, "unit") == "syllables");
  auto required = Make("title", Diag::check_required);
  CHECK(required.message == "is required");
  CHECK(required.check.key == "check_required");
  CHECK(Arg(required.check, "field") == "title");
  CHECK(required.check.args.size() == 1);
  auto body = Make("body", Diag::check_body_empty);
  CHECK(body.message == "is empty");
  CHECK(body.check.key == "check_body_empty");
  // A diagnostic made with no code (none is, but one could be built by hand) has no message.
  CHECK(CheckMessageOf(Diagnostic{"f.md", 1, "title", "something", "", {}}).key.empty());
}

TEST_CASE("check messages: a word part's argument is a select keyword, its English the word") {
  auto list = Make("title", {Diag::check_type_text, {{"kind", "a_list"}}});
  CHECK(list.message == "must be text, not a list");
  CHECK(Arg(list.check, "kind") == "a_list");
  auto empty = Make("title", {Diag::check_type_map, {{"kind", "an_empty_value"}}});
  CHECK(empty.message == "must be a mapping of fields, not an empty value");
  // A part the admin leaves out is still an argument: the English text shows it.
  auto numerals = Make("numerals", {Diag::check_numerals,
                                    {{"token", "2026"}, {"written", "0–9"}, {"digits", "០–៩"}}});
  CHECK(numerals.message ==
        "'2026' is written with 0–9; this language writes numbers with ០–៩ (numerals in "
        "site/config.yaml)");
  CHECK(Arg(numerals.check, "digits") == "០–៩");
  // Braces that name no part are plain text.
  auto braces = Make("", Diag::check_yaml_map_open);
  CHECK(braces.message ==
        "invalid YAML: a mapping in { } is not closed; add the closing } on this line, or quote a "
        "value that starts with {");
}

TEST_CASE("check messages: every code is a kind with its argument names, in the catalog's order") {
  std::vector<CheckMessage> kinds = CheckMessageKinds();
  REQUIRE(kinds.size() == DiagnosticCodeCount());
  CHECK(kinds.front().key == "check_file_deep");
  CHECK(kinds.back().key == "check_other");
  for (const CheckMessage& kind : kinds) {
    if (kind.key != "check_link_scheduled_later") continue;
    std::vector<std::string> names;
    for (const auto& [name, value] : kind.args) names.push_back(name);
    CHECK(names == std::vector<std::string>{"field", "href", "target", "date", "live"});
  }
}

TEST_CASE("check messages: every problem of a broken page file has a catalog message") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  // The fixture, with a valid round page the round cases change, passes every check.
  std::vector<Diagnostic> clean = LoadWith(dir.path(), {{kRoundFile, "", kRoundText}});
  INFO(Describe(clean));
  REQUIRE(std::all_of(clean.begin(), clean.end(), [](const Diagnostic& d) {
    return CheckMessageOf(d).key == "check_raw_html";
  }));
  testing::WriteFile(dir / kRoundFile, kRoundText);
  std::set<std::string> seen = RunCases(dir.path(), FileAndYamlCases());
  std::set<std::string> more = RunCases(dir.path(), FieldCases());
  seen.insert(more.begin(), more.end());
  more = RunCases(dir.path(), BodyCases());
  seen.insert(more.begin(), more.end());

  // Every code is met but these: the self-check's (the next test) and those no saved page
  // text causes.
  const std::set<std::string> elsewhere = {
      "check_selfcheck_guide",
      "check_selfcheck_anchor",
      "check_file_link",        // a symbolic link, not a saved text
      "check_file_unreadable",  // the file's permissions
      "check_list",             // no field of a page needs a list with items
      "check_yaml_reserved",    // libyaml says check_yaml_character for these characters
      "check_yaml_other",       // libyaml always names the problem: check_yaml_other_detail
      "check_yaml_structure",   // libyaml's events leave no other structure
      "check_legal_review",     // the workflow's, when an edit is approved
      "check_image_consent",    // needs the library's record of a photo (render's site_build_test)
      "check_other",            // site/ files, templates, imports and history files
  };
  std::set<std::string> missed;
  for (const CheckMessage& kind : CheckMessageKinds()) {
    if (!seen.count(kind.key) && !elsewhere.count(kind.key)) missed.insert(kind.key);
    if (seen.count(kind.key)) CHECK_FALSE(elsewhere.count(kind.key));
  }
  CHECK(missed == std::set<std::string>{});
}

TEST_CASE("check messages: a guide the self-check leads to, made a draft or stripped of headings") {
  // The real site: its self-check's rules lead to sections of its real guides.
  testing::TempDir dir;
  const std::filesystem::path source = CLEMENCY_SOURCE_DIR;
  for (const char* part : {"site", "content"}) {
    std::filesystem::copy(source / part, std::filesystem::path(dir.path()) / part,
                          std::filesystem::copy_options::recursive);
  }
  const std::string guide = "content/guides/ai-duoc-xet-dac-xa.vi.md";
  const std::string text = testing::ReadFile(dir / guide);
  std::string no_headings = text;
  for (size_t at; (at = no_headings.find("\n## ")) != std::string::npos;) {
    no_headings.replace(at, 4, "\n");
  }
  RunCases(dir.path(), {
                           {"check_selfcheck_anchor", {{guide, "", no_headings}}},
                           {"check_selfcheck_guide", {{guide, "\n---\n", "\ndraft: true\n---\n"}}},
                       });
}
