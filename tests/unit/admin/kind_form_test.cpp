// The typed edit form of each page kind: every real content file goes through the form and back
// without a byte changed; a changed input rewrites its field alone; the form's required inputs
// are the fields the loader requires.
#include "admin/kind_form.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <algorithm>
#include <map>
#include <set>

#include "config/site_config.h"
#include "content/loader.h"
#include "content/page_file.h"
#include "core/fs.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

std::string Crlf(const std::string& text) {  // what a browser's form sends for a textarea
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

// The form as the browser posts it back untouched: every shown input's text, the hidden
// original and the advanced box, read the way the admin reads a post.
KindForm PostedBack(const KindForm& shown, const PageKind& kind, bool is_index,
                    bool is_translation) {
  KindForm posted;
  posted.inputs = InputsOfKind(kind, is_index, is_translation);
  posted.original = Crlf(shown.original);
  posted.advanced = Crlf(shown.advanced);
  posted.body = Crlf(shown.body);
  posted.has_front_matter = true;
  for (FormInput& input : posted.inputs) {
    const FormInput* from = FindInput(shown, input.key);
    if (!from->shown) continue;  // no input on the page: nothing posted
    std::vector<std::string> sent = input.spec->type == FieldType::kChoiceList
                                        ? from->values
                                        : std::vector<std::string>{Crlf(InputText(*from))};
    if (input.spec->type == FieldType::kChoiceList) std::reverse(sent.begin(), sent.end());
    input.values = ValuesFromPost(*input.spec, sent);
  }
  return posted;
}

SiteConfig RealConfig() {
  DiskFileSystem fs;
  Diagnostics d;
  auto config = LoadSiteConfig(fs, std::string(CLEMENCY_SOURCE_DIR) + "/site/config.yaml", &d);
  REQUIRE(config.ok());
  return *config;
}

}  // namespace

TEST_CASE("every real content file goes through the typed form and back byte for byte") {
  const SiteConfig config = RealConfig();
  std::vector<std::string> languages;
  for (const auto& language : config.languages) languages.push_back(language.code);
  const std::filesystem::path root(CLEMENCY_SOURCE_DIR);
  int files = 0;
  std::map<std::string, int> shown_with_value;  // input key -> files that show it filled in
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "content")) {
    if (entry.path().extension() != ".md") continue;
    std::string relative = std::filesystem::relative(entry.path(), root).generic_string();
    auto file = ParseContentPath(relative, languages);
    REQUIRE(file);
    const PageKind& kind = KindOfPage(config, file->section, file->slug);
    const bool index = file->slug.empty(), translation = file->lang != config.default_language;
    std::string text = testing::ReadFile(entry.path().string());
    KindForm form = SplitForKind(text, kind, index, translation);
    INFO(relative);
    CHECK(JoinForKind(PostedBack(form, kind, index, translation), kind) == text);
    for (const FormInput& input : form.inputs) {
      if (input.shown && !input.values.empty()) ++shown_with_value[input.key];
    }
    ++files;
  }
  CHECK(files >= 100);
  // The fields editors asked for are inputs, not YAML, in the real files (no real entry has a
  // contact yet: the synthetic one below has).
  for (const char* key : {"title", "summary", "date", "province", "organisation", "services",
                          "status", "consent.basis", "source.title", "translation_status",
                          "tags", "change_note"}) {
    INFO(key);
    CHECK(shown_with_value[key] > 0);
  }
}

TEST_CASE("a changed input rewrites its own field; the others keep their lines") {
  const PageKind& support = *FindPageKind("support");
  const std::string text =
      "---\ntitle: Trung tâm\ndate: 2026-01-02\nprovince: 'Quảng Bình'  \n"
      "organisation: Hội\nservices: [jobs, counselling]\ncontact:\n  phone: 0232 3822 111\n"
      "  hours: \"7:30–17:00\"\ncoordinates: {lat: 17.4, lon: 106.6}\n---\n\nNội dung.\n";
  KindForm form = SplitForKind(text, support, false, false);
  CHECK(FindInput(form, "province")->values == std::vector<std::string>{"Quảng Bình"});
  CHECK(FindInput(form, "services")->values == std::vector<std::string>{"jobs", "counselling"});
  CHECK(FindInput(form, "contact.phone")->values == std::vector<std::string>{"0232 3822 111"});
  CHECK(form.advanced == "coordinates: {lat: 17.4, lon: 106.6}\n");
  CHECK(FindInput(form, "contact.phone")->first_line == 7);

  FindInput(form, "contact.phone")->values = {"0232 3822 222"};
  FindInput(form, "commune")->values = {"Đồng Hới"};
  FindInput(form, "services")->values = {"counselling", "jobs"};  // the same, in another order
  CHECK(JoinForKind(form, support) ==
        "---\ntitle: Trung tâm\ndate: 2026-01-02\nprovince: 'Quảng Bình'  \n"
        "organisation: Hội\nservices: [jobs, counselling]\ncontact:\n  phone: \"0232 3822 222\"\n"
        "  hours: \"7:30–17:00\"\ncoordinates: {lat: 17.4, lon: 106.6}\ncommune: \"Đồng Hới\"\n"
        "---\n\nNội dung.\n");

  FindInput(form, "contact.phone")->values = {};
  FindInput(form, "contact.hours")->values = {};
  form.advanced = "";  // the editor removed the coordinates in the advanced box
  std::string joined = JoinForKind(form, support);
  CHECK(joined.find("contact") == std::string::npos);
  CHECK(joined.find("coordinates") == std::string::npos);
}

TEST_CASE("fields the inputs cannot hold stay as written in the advanced box") {
  const PageKind& guide = *FindPageKind("guide");
  const std::string text =
      "---\ntitle:\n  - a\n# a comment\ntags: [x]\nsummary: >\n  folded\n  text\n"
      "unknown: 1\n---\nBody\n";
  KindForm form = SplitForKind(text, guide, false, false);
  CHECK_FALSE(FindInput(form, "title")->shown);
  CHECK(FindInput(form, "tags")->shown);  // the comment went with the title's lines
  CHECK(FindInput(form, "summary")->values == std::vector<std::string>{"folded text\n"});
  CHECK(form.advanced.find("unknown: 1\n") != std::string::npos);
  CHECK(JoinForKind(form, guide) == "---\ntitle:\n  - a\n# a comment\ntags: [x]\nsummary: >\n"
                                    "  folded\n  text\nunknown: 1\n---\n\nBody\n");
}

TEST_CASE("the form's required inputs are the fields the loader requires") {
  const SiteConfig config = RealConfig();
  for (const PageKind& kind : PageKinds()) {
    if (!kind.section_kind) continue;
    std::string section;
    for (const auto& s : config.sections) {
      if (s.kind == kind.name) section = s.name;
    }
    if (section.empty()) continue;
    for (const std::string& lang : {config.default_language, std::string("en")}) {
      const bool translation = lang != config.default_language;
      // Only fields of a group the file has are checked inside it: start with every group empty.
      // (Its last part is optional in each group; a weight makes the front matter a mapping.)
      std::string text = "---\nweight: 1\n";
      for (const FieldSpec* field : FieldsOfKind(kind)) {
        if (field->type == FieldType::kMap && FieldRequired(*field, kind, false, translation)) {
          const FieldSpec& part = field->parts.back();
          std::string value = part.type == FieldType::kChoice ? part.choices.front()
                              : part.type == FieldType::kUrl  ? "https://example.org"
                                                              : "x";
          text += field->name + ":\n  " + part.name + ": " + value + "\n";
        }
      }
      text += "---\n\nBody.\n";
      Diagnostics d;
      Page page;
      std::string path = "content/" + section + "/x." + lang + ".md";
      PageFromText(path.substr(8), path, text, config, &d, &page);
      std::set<std::string> required_by_loader;
      for (const Diagnostic& item : d.items()) {
        if (item.code == "check_required") required_by_loader.insert(item.field);
      }
      std::set<std::string> required_by_form;
      for (const FormInput& input : InputsOfKind(kind, false, translation)) {
        if (input.required) required_by_form.insert(input.key);
      }
      for (const FieldSpec* field : FieldsOfKind(kind)) {  // YAML-only fields required too
        if (field->type == FieldType::kStructured && FieldRequired(*field, kind, false, translation)) {
          required_by_form.insert(field->name);
        }
      }
      INFO(kind.name << " " << lang);
      CHECK(required_by_loader == required_by_form);
    }
  }
}
