#include "config/site_config.h"

#include "config/page_kinds.h"

#include <optional>
#include <set>

#include "config/yaml_fields.h"
#include "core/site_paths.h"
#include "core/text.h"

namespace clemency {

const LanguageConfig* SiteConfig::FindLanguage(const std::string& code) const {
  for (const auto& language : languages) {
    if (language.code == code) return &language;
  }
  return nullptr;
}

namespace {

// The language's own text of `field`, else the default language's.
std::string LanguageText(const SiteConfig& config, const std::string& lang,
                         std::string LanguageConfig::*field) {
  const LanguageConfig* language = config.FindLanguage(lang);
  if (language && !(language->*field).empty()) return language->*field;
  language = config.FindLanguage(config.default_language);
  return language ? language->*field : "";
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

std::string SiteConfig::Attribution(const std::string& lang) const {
  std::string line = LanguageText(*this, lang, &LanguageConfig::attribution);
  const LanguageConfig* language = FindLanguage(lang);
  if (!language) language = FindLanguage(default_language);
  ReplaceAll(line, "{title}", language ? language->title : "");
  ReplaceAll(line, "{base_url}", base_url);
  return line;
}

std::string SiteConfig::RightsLine(const std::string& lang) const {
  if (licence.empty()) return "";
  std::string line = licence.name + (licence.url.empty() ? "" : " " + licence.url) + ".";
  std::string attribution = Attribution(lang);
  return attribution.empty() ? line : line + " " + attribution;
}

std::string SiteConfig::RetellingNote(const std::string& lang) const {
  return LanguageText(*this, lang, &LanguageConfig::retelling_note);
}

std::string SiteConfig::WebSubHubUrl() const {
  return websub.hub ? base_url + paths::kWebSubHub : std::string();
}

const SectionConfig* SiteConfig::FindSection(const std::string& name) const {
  for (const auto& section : sections) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

const std::vector<std::string>& KnownSectionKinds() {
  static const std::vector<std::string> kKinds = [] {
    std::vector<std::string> names;
    for (const PageKind& kind : PageKinds()) {
      if (kind.section_kind) names.emplace_back(kind.name);
    }
    return names;
  }();
  return kKinds;
}

const std::vector<std::string>& KnownServices() {
  static const std::vector<std::string> kServices = {
      "counselling", "training", "jobs", "loans", "club", "housing", "legal-help", "fund"};
  return kServices;
}

namespace {

// An optional whole number `name` of `root` within [min, max]; out of range is reported (and the
// value kept, so later checks see what was written).
std::optional<int64_t> WholeNumberIn(FieldReader& read, const YamlNode& root, const char* name,
                                     int64_t min, int64_t max) {
  auto v = read.Integer(root, name, false);
  if (v && (*v < min || *v > max)) {
    read.Error(root.Find(name)->line, name,
               PlainProblem("must be " + std::to_string(min) + " to " + std::to_string(max)));
  }
  return v;
}

// base_url, time_zone, utc_offset and the numeric limits.
void ReadSettings(FieldReader& read, const YamlNode& root, SiteConfig* config) {
  if (auto v = read.Text(root, "base_url", true)) {
    config->base_url = *v;
    while (!config->base_url.empty() && config->base_url.back() == '/') config->base_url.pop_back();
    if (config->base_url.rfind("http://", 0) != 0 && config->base_url.rfind("https://", 0) != 0) {
      read.Error(root.Find("base_url")->line, "base_url",
                 PlainProblem("must start with http:// or https://"));
    }
  }
  if (auto v = read.Text(root, "time_zone", false)) config->time_zone = *v;
  if (auto v = read.Text(root, "utc_offset", false)) {
    auto probe = ParseDateTime("2000-01-01T00:00" + *v, 0);
    if (!probe) {
      read.Error(root.Find("utc_offset")->line, "utc_offset",
                 PlainProblem("must look like +07:00"));
    } else {
      config->utc_offset_minutes = probe->offset_minutes;
    }
  }
  if (auto v = WholeNumberIn(read, root, "summary_length", 20, 2000)) {
    config->summary_length = static_cast<int>(*v);
  }
  if (auto v = WholeNumberIn(read, root, "feed_limit", 1, 10000)) config->feed_limit = static_cast<int>(*v);
  if (auto v = WholeNumberIn(read, root, "list_page_size", 1, 10000)) {
    config->list_page_size = static_cast<int>(*v);
  }
  if (auto v = WholeNumberIn(read, root, "max_content_file_mb", 1, 1024)) {
    config->max_content_file_bytes = static_cast<uint64_t>(*v) << 20;
  }
  if (auto v = read.Choice(root, "command_line_publishing", false, {"allowed", "refused"})) {
    config->command_line_publishing = *v == "allowed";
  }
}

void ReadLanguages(FieldReader& read, const YamlNode& list, SiteConfig* config) {
  std::set<std::string> seen;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const YamlNode& item = list.items[i];
    std::string prefix = "languages[" + std::to_string(i) + "].";
    if (!item.IsMap()) {
      read.Error(item.line, prefix,
                 PlainProblem("must be a mapping with code, name, locale, title"));
      continue;
    }
    read.RejectUnknown(
        item, {"code", "name", "locale", "title", "numerals", "attribution", "retelling_note"},
        prefix);
    LanguageConfig language;
    language.code = read.Text(item, "code", true, prefix).value_or("");
    language.name = read.Text(item, "name", true, prefix).value_or("");
    language.locale = read.Text(item, "locale", true, prefix).value_or("");
    language.title = read.Text(item, "title", true, prefix).value_or("");
    language.numerals =
        read.Choice(item, "numerals", false, {"khmer", "western"}, prefix).value_or("");
    language.attribution = read.Text(item, "attribution", false, prefix).value_or("");
    language.retelling_note = read.Text(item, "retelling_note", false, prefix).value_or("");
    if (!language.code.empty() && (!IsSlug(language.code) || language.code.size() > 8)) {
      read.Error(item.line, prefix + "code",
                 PlainProblem("must be a short lowercase code like vi"));
    }
    if (!language.code.empty() && !seen.insert(language.code).second) {
      read.Error(item.line, prefix + "code",
                 PlainProblem("'" + language.code + "' is listed twice"));
    }
    config->languages.push_back(language);
  }
}

void ReadSections(FieldReader& read, const YamlNode& list, SiteConfig* config) {
  std::set<std::string> seen;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const YamlNode& item = list.items[i];
    std::string prefix = "sections[" + std::to_string(i) + "].";
    if (!item.IsMap()) {
      read.Error(item.line, prefix, PlainProblem("must be a mapping with name and kind"));
      continue;
    }
    read.RejectUnknown(item, {"name", "kind"}, prefix);
    SectionConfig section;
    section.name = read.Text(item, "name", true, prefix).value_or("");
    section.kind = read.Choice(item, "kind", true, KnownSectionKinds(), prefix).value_or("");
    if (!section.name.empty() && !IsSlug(section.name)) {
      read.Error(item.line, prefix + "name", PlainProblem("must be a slug like guides"));
    }
    if (!section.name.empty() && !seen.insert(section.name).second) {
      read.Error(item.line, prefix + "name",
                 PlainProblem("'" + section.name + "' is listed twice"));
    }
    config->sections.push_back(section);
  }
}

void ReadLicence(FieldReader& read, const YamlNode& node, LicenceConfig* licence) {
  read.RejectUnknown(node, {"name", "spdx", "url"}, "licence.");
  licence->name = read.Text(node, "name", true, "licence.").value_or("");
  licence->spdx = read.Text(node, "spdx", false, "licence.").value_or("");
  licence->url = read.Text(node, "url", true, "licence.").value_or("");
}

void ReadWebSub(FieldReader& read, const YamlNode& node, WebSubConfig* websub) {
  read.RejectUnknown(node, {"hub", "callback_hosts"}, "websub.");
  websub->hub = read.Boolean(node, "hub", "websub.").value_or(false);
  websub->callback_hosts =
      read.TextList(node, "callback_hosts", false, "websub.").value_or(std::vector<std::string>{});
}

void ReadNotify(FieldReader& read, const YamlNode& node, NotifyConfig* notify) {
  read.RejectUnknown(node, {"sendmail", "from", "admin_url"}, "notify.");
  notify->sendmail = read.Text(node, "sendmail", false, "notify.").value_or("");
  notify->from = read.Text(node, "from", false, "notify.").value_or("");
  notify->admin_url = read.Text(node, "admin_url", false, "notify.").value_or("");
  if (!notify->sendmail.empty() && notify->sendmail[0] != '/') {
    read.Error(node.Find("sendmail")->line, "notify.sendmail",
               PlainProblem("must be an absolute path (/usr/sbin/sendmail)"));
  }
}

void ReadReadability(FieldReader& read, const YamlNode& node, ReadabilityConfig* r) {
  const std::vector<std::pair<std::string, double*>> numbers = {
      {"en_min_flesch", &r->en_min_flesch},
      {"vi_max_syllables_per_sentence", &r->vi_max_syllables_per_sentence},
      {"km_max_words_per_sentence", &r->km_max_words_per_sentence},
      {"en_max_words_in_sentence", &r->en_max_words_in_sentence},
      {"vi_max_syllables_in_sentence", &r->vi_max_syllables_in_sentence},
      {"km_max_words_in_sentence", &r->km_max_words_in_sentence}};
  std::vector<std::string> names;
  for (const auto& [name, value] : numbers) names.push_back(name);
  read.RejectUnknown(node, names, "readability.");
  for (const auto& [name, value] : numbers) {
    *value = read.Number(node, name, false, "readability.").value_or(*value);
  }
}

// Returns the file `name` in the folder of `path`.
std::string SiblingPath(const std::string& path, const std::string& name) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? name : path.substr(0, slash + 1) + name;
}

}  // namespace

Result<SiteConfig> LoadSiteConfig(const FileSystem& fs, const std::string& path,
                                  Diagnostics* diagnostics) {
  YamlNode root;
  if (!ReadYamlFile(fs, path, "cannot read the site configuration", &root, diagnostics)) {
    return Status::Error("invalid " + path);
  }
  size_t errors_before = diagnostics->size();
  FieldReader read(path, diagnostics);
  SiteConfig config;
  if (!root.IsMap()) {
    read.Error(root.line, "", PlainProblem("must be a mapping of settings"));
    return Status::Error("invalid " + path);
  }
  read.RejectUnknown(root, {"base_url", "default_language", "languages", "sections", "time_zone",
                            "utc_offset", "summary_length", "feed_limit", "list_page_size",
                            "max_content_file_mb", "command_line_publishing", "readability",
                            "licence", "websub", "notify", "review"});
  ReadSettings(read, root, &config);
  if (const YamlNode* list = read.List(root, "languages", true)) ReadLanguages(read, *list, &config);
  if (auto v = read.Text(root, "default_language", true)) {
    config.default_language = *v;
    if (!config.languages.empty() && !config.FindLanguage(*v)) {
      read.Error(root.Find("default_language")->line, "default_language",
                 PlainProblem("'" + *v + "' is not one of the languages"));
    }
  }
  if (const YamlNode* list = read.List(root, "sections", true)) ReadSections(read, *list, &config);
  if (const YamlNode* node = read.Map(root, "readability", false)) {
    ReadReadability(read, *node, &config.readability);
  }
  if (const YamlNode* node = read.Map(root, "licence", false)) {
    ReadLicence(read, *node, &config.licence);
  }
  if (const YamlNode* node = read.Map(root, "notify", false)) ReadNotify(read, *node, &config.notify);
  if (const YamlNode* node = read.Map(root, "review", false)) {
    read.RejectUnknown(*node, {"approve_own_merge"}, "review.");
    config.approve_own_merge = read.Boolean(*node, "approve_own_merge", "review.").value_or(false);
  }
  if (const YamlNode* node = read.Map(root, "websub", false)) {
    ReadWebSub(read, *node, &config.websub);
  }
  std::vector<std::string> languages;
  for (const auto& language : config.languages) languages.push_back(language.code);
  config.provinces = LoadProvinces(fs, SiblingPath(path, "provinces.yaml"), languages,
                                   config.default_language, diagnostics);
  if (diagnostics->size() != errors_before) return Status::Error("invalid " + path);
  return config;
}

}  // namespace clemency
