#include "content/loader.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_set>

#include "config/page_kinds.h"
#include "config/yaml_fields.h"
#include "i18n/provinces.h"
#include "content/front_matter_schema.h"
#include "content/page_file.h"
#include "core/parallel.h"
#include "core/text.h"
#include "i18n/text.h"

namespace clemency {
namespace {

struct FileName {
  std::string section, slug, lang;
};

// content/<section>/<slug>.<lang>.md, <section>/_index.<lang>.md or _index.<lang>.md.
bool ParseFileName(const std::string& relative, const std::string& display,
                   const SiteConfig& config, Diagnostics* diagnostics, FileName* out) {
  auto fail = [&](Problem problem) {
    diagnostics->Add(display, 0, "", std::move(problem));
    return false;
  };
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t slash; (slash = relative.find('/', start)) != std::string::npos; start = slash + 1) {
    parts.push_back(relative.substr(start, slash - start));
  }
  parts.push_back(relative.substr(start));
  if (parts.size() > 2) return fail(Diag::check_file_deep);
  std::string name = parts.back();
  name.resize(name.size() - 3);  // ".md"
  size_t dot = name.rfind('.');
  if (dot == std::string::npos) return fail(Diag::check_file_language);
  out->lang = name.substr(dot + 1);
  std::string stem = name.substr(0, dot);
  if (!config.FindLanguage(out->lang)) {
    return fail({Diag::check_file_unknown_language, {{"lang", out->lang}}});
  }
  if (parts.size() == 1) {
    if (stem != "_index") return fail(Diag::check_file_top);
    return true;
  }
  out->section = parts[0];
  if (!config.FindSection(out->section)) {
    return fail({Diag::check_file_section, {{"section", out->section}}});
  }
  if (stem == "_index") return true;
  if (!IsSlug(stem)) {
    std::string suggestion = Slugify(stem);
    if (suggestion.empty()) return fail({Diag::check_file_slug, {{"name", stem}}});
    return fail({Diag::check_file_slug_hint, {{"name", stem}, {"slug", suggestion}}});
  }
  if (stem == "page" || stem == "province") {
    return fail({Diag::check_file_reserved, {{"name", stem}, {"section", out->section}}});
  }
  out->slug = stem;
  return true;
}

bool IsWebUrl(const std::string& url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

}  // namespace

std::string NormaliseSourceText(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  return ToNfc(text);
}

namespace {

// Finds the front matter between the first two `---` lines of the page's text and records where
// the body starts. Returns the YAML text, or nullopt (with a diagnostic) when there is none.
std::optional<std::string_view> FrontMatterOf(Page* page, const std::string& display_path,
                                              Diagnostics* diagnostics) {
  const std::string& source = page->source_text;
  const PageFileParts parts = SplitPageFile(source);
  if (!parts.opened) {
    diagnostics->Add(display_path, 1, "", Diag::check_no_front_matter);
    return std::nullopt;
  }
  if (parts.closed) {
    page->body_offset = parts.body_offset;
    page->body_first_line = parts.body_first_line;
    return std::string_view(source).substr(parts.front_matter_offset,
                                           parts.closing_offset - parts.front_matter_offset);
  }
  diagnostics->Add(display_path, 1, "", Diag::check_front_matter_open);
  return std::nullopt;
}

// `aliases`: the page's old slugs in its section, each a slug a page file could have had (so its
// old URL is a page URL), not its own. Collisions with other pages are checked site-wide.
void ReadAliases(FieldReader& read, const YamlNode& root, Page* page) {
  auto aliases = read.TextList(root, "aliases", false);
  if (!aliases) return;
  const int line = root.Find("aliases")->line;
  page->aliases_line = read.Line(*root.Find("aliases"));
  if (page->slug.empty()) {
    read.Error(line, "aliases", Diag::check_aliases_list_page);
    return;
  }
  std::set<std::string> seen;
  for (const std::string& alias : *aliases) {
    if (!IsSlug(alias)) {
      read.Error(line, "aliases", {Diag::check_alias_slug, {{"alias", alias}}});
    } else if (alias == page->slug) {
      read.Error(line, "aliases", {Diag::check_alias_own, {{"alias", alias}}});
    } else if (alias == "page" || alias == "province") {
      read.Error(line, "aliases", {Diag::check_alias_reserved, {{"alias", alias}}});
    } else if (!seen.insert(alias).second) {
      read.Error(line, "aliases", {Diag::check_alias_twice, {{"alias", alias}}});
    } else {
      page->aliases.push_back(alias);
    }
  }
}

// Title, summary, dates, draft, weight, tags, change note.
void ReadCommonFields(FieldReader& read, const YamlNode& root, const PageKind& kind, int tz,
                      Page* page) {
  const bool is_index = page->slug.empty();
  page->title = read.Text(root, "title", true).value_or("");
  page->summary = read.Text(root, "summary", false).value_or("");
  auto date = read.Date(root, "date", !is_index, tz);
  if (date) page->date = *date;
  auto updated = read.Date(root, "updated", false, tz);
  page->updated = updated.value_or(page->date);
  if (updated && date && *updated < *date) {
    read.Error(root.Find("updated")->line, "updated", Diag::check_updated_early);
  }
  page->reviewed = read.Date(root, "reviewed", kind.cites_sources, tz);
  page->draft = read.Boolean(root, "draft").value_or(false);
  page->weight = read.Integer(root, "weight", false).value_or(0);
  page->tags = read.TextList(root, "tags", false).value_or(std::vector<std::string>{});
  page->change_note = read.Text(root, "change_note", false).value_or("");
  ReadAliases(read, root, page);
}

// The legal sources a page cites (required, at least one, for a kind that cites sources).
void ReadSources(FieldReader& read, const YamlNode& root, const PageKind& kind, Page* page) {
  const YamlNode* list = read.List(root, "sources", kind.cites_sources);
  if (!list) return;
  if (list->items.empty() && kind.cites_sources) {
    read.Error(list->line, "sources", Diag::check_sources_none);
  }
  for (size_t i = 0; i < list->items.size(); ++i) {
    const YamlNode& item = list->items[i];
    std::string prefix = "sources[" + std::to_string(i) + "].";
    if (!item.IsMap()) {
      read.Error(item.line, "sources[" + std::to_string(i) + "]", Diag::check_source_item);
      continue;
    }
    read.RejectUnknown(item, {"title", "number", "article", "url"}, prefix);
    LegalSource legal;
    legal.title = read.Text(item, "title", true, prefix).value_or("");
    legal.number = read.Text(item, "number", false, prefix).value_or("");
    legal.article = read.Text(item, "article", false, prefix).value_or("");
    legal.url = read.Text(item, "url", false, prefix).value_or("");
    if (!legal.url.empty() && !IsWebUrl(legal.url)) {
      read.Error(item.Find("url")->line, prefix + "url", Diag::check_url);
    }
    page->sources.push_back(legal);
  }
}

// A translation's status and source date; the source language may not carry them.
void ReadTranslation(FieldReader& read, const YamlNode& root, const SiteConfig& config,
                     Page* page) {
  if (page->lang != config.default_language) {
    page->translation_status =
        read.Choice(root, "translation_status", true, TranslationStatuses())
            .value_or("");
    page->translated_from = read.Date(root, "translated_from", true, config.utc_offset_minutes);
    return;
  }
  for (const char* field : {"translation_status", "translated_from"}) {
    if (const YamlNode* node = root.Find(field)) {
      read.Error(node->line, field,
                 {Diag::check_translation_only, {{"lang", config.default_language}}});
    }
  }
}

// A story's consent record: `personal` needs who agreed, when, and to what (and may say whether
// photos of the person may be shown); a story retold from
// a published report says so and carries nothing else (nobody was asked).
void ReadConsent(FieldReader& read, const YamlNode& node, int tz, Page* page) {
  read.RejectUnknown(node, {"basis", "given_by", "date", "scope", "images"}, "consent.");
  Consent consent;
  consent.basis =
      read.Choice(node, "basis", true, ConsentBases(), "consent.").value_or("");
  if (consent.personal()) {
    consent.given_by = read.Text(node, "given_by", true, "consent.").value_or("");
    consent.date = read.Date(node, "date", true, tz, "consent.");
    consent.scope =
        read.Choice(node, "scope", true, ConsentScopes(), "consent.").value_or("");
    consent.images =
        read.Choice(node, "images", false, ConsentImages(), "consent.").value_or("");
  } else if (!consent.basis.empty()) {
    for (const char* field : {"given_by", "date", "scope", "images"}) {
      if (const YamlNode* extra = node.Find(field)) {
        read.Error(extra->line, std::string("consent.") + field, Diag::check_consent_personal_only);
      }
    }
  }
  page->consent = consent;
}

// A retold story's consent record and its source.
void ReadStoryFields(FieldReader& read, const YamlNode& root, int tz, Page* page) {
  if (const YamlNode* node = read.Map(root, "consent", true)) ReadConsent(read, *node, tz, page);
  if (const YamlNode* node = read.Map(root, "source", true)) {
    read.RejectUnknown(*node, {"title", "publisher", "date", "url"}, "source.");
    StorySource story_source;
    story_source.title = read.Text(*node, "title", true, "source.").value_or("");
    story_source.publisher = read.Text(*node, "publisher", true, "source.").value_or("");
    story_source.date = read.Date(*node, "date", false, tz, "source.");
    story_source.url = read.Text(*node, "url", false, "source.").value_or("");
    if (!story_source.url.empty() && !IsWebUrl(story_source.url)) {
      read.Error(node->Find("url")->line, "source.url", Diag::check_url);
    }
    page->story_source = story_source;
  }
}

// A support entry's services, each one the site knows.
std::optional<std::vector<std::string>> ReadServices(FieldReader& read, const YamlNode& root) {
  // Optional: an entry whose source does not say what help it gives lists none (the page says
  // so) rather than guessing.
  auto services = read.TextList(root, "services", false);
  for (const auto& service : services.value_or(std::vector<std::string>{})) {
    if (std::find(KnownServices().begin(), KnownServices().end(), service) ==
        KnownServices().end()) {
      std::string known;
      for (const auto& s : KnownServices()) known += (known.empty() ? "" : ", ") + s;
      read.Error(root.Find("services")->line, "services",
                 {Diag::check_service, {{"service", service}, {"known", known}}});
    }
  }
  return services;
}

// A support entry's contact: phone (digits and separators only), address, hours.
void ReadContact(FieldReader& read, const YamlNode& root, SupportInfo* info) {
  const YamlNode* node = read.Map(root, "contact", false);
  if (!node) return;
  read.RejectUnknown(*node, {"phone", "address", "hours"}, "contact.");
  info->contact.phone = read.Text(*node, "phone", false, "contact.").value_or("");
  info->contact.address = read.Text(*node, "address", false, "contact.").value_or("");
  info->contact.hours = read.Text(*node, "hours", false, "contact.").value_or("");
  if (!info->contact.phone.empty() &&
      info->contact.phone.find_first_not_of("+0123456789 .-()") != std::string::npos) {
    read.Error(node->Find("phone")->line, "contact.phone", Diag::check_phone);
  }
}

// A support entry's coordinates, within the ranges of latitude and longitude.
void ReadCoordinates(FieldReader& read, const YamlNode& root, SupportInfo* info) {
  const YamlNode* node = read.Map(root, "coordinates", false);
  if (!node) return;
  read.RejectUnknown(*node, {"lat", "lon"}, "coordinates.");
  auto lat = read.Number(*node, "lat", true, "coordinates.");
  auto lon = read.Number(*node, "lon", true, "coordinates.");
  if (lat && (*lat < -90 || *lat > 90)) {
    read.Error(node->Find("lat")->line, "coordinates.lat",
               {Diag::check_range, {{"min", "-90"}, {"max", "90"}}});
  }
  if (lon && (*lon < -180 || *lon > 180)) {
    read.Error(node->Find("lon")->line, "coordinates.lon",
               {Diag::check_range, {{"min", "-180"}, {"max", "180"}}});
  }
  if (lat && lon) info->coordinates = Coordinates{*lat, *lon};
}

// With a province list (site/provinces.yaml): `province` is listed (a current province, a former
// one or the whole country); a former one needs `current_province`, the province it merged into.
void CheckProvinces(FieldReader& read, const YamlNode& root, const SiteConfig& config,
                    const ProvinceIndex& index, const SupportInfo& info) {
  const std::string* code = index.Find(info.province);
  if (!code) {
    const std::vector<std::string> close = index.Closest(info.province);
    const int line = root.Find("province")->line;
    if (close.empty()) {
      read.Error(line, "province", {Diag::check_unknown_province, {{"name", info.province}}});
    } else {
      const std::string hint = index.Listed(close.front())->Name(config.default_language);
      read.Error(line, "province",
                 {Diag::check_unknown_province_hint, {{"name", info.province}, {"hint", hint}}});
    }
    return;
  }
  const std::string& merged_into = index.Listed(*code)->Name(config.default_language);
  if (!index.IsFormer(info.province)) return;
  const YamlNode* current = root.Find("current_province");
  const std::string* current_code = info.current_province.empty() ? nullptr
                                                                  : index.Find(info.current_province);
  if (!current_code || *current_code != *code || index.IsFormer(info.current_province)) {
    read.Error(current ? current->line : root.Find("province")->line, "current_province",
               {Diag::check_former_province, {{"name", info.province}, {"current", merged_into}}});
  }
}

// Where a support entry is: the province as the source named it (and the current one when the
// 2025 reform merged it), a commune with its former district, or an older entry's district.
void ReadSupportPlace(FieldReader& read, const YamlNode& root, const SiteConfig& config,
                      const ProvinceIndex* provinces, SupportInfo* info) {
  info->province = read.Text(root, "province", true).value_or("");
  info->current_province = read.Text(root, "current_province", false).value_or("");
  info->commune = read.Text(root, "commune", false).value_or("");
  info->former_district = read.Text(root, "former_district", false).value_or("");
  info->district = read.Text(root, "district", false).value_or("");
  if (!info->district.empty() && !info->former_district.empty()) {
    read.Error(root.Find("district")->line, "district", Diag::check_district_twice);
  }
  if (!info->current_province.empty() && info->current_province == info->province) {
    read.Error(root.Find("current_province")->line, "current_province", Diag::check_same_province);
  }
  if (config.provinces.empty()) return;
  if (provinces) return CheckProvinces(read, root, config, *provinces, *info);
  CheckProvinces(read, root, config, ProvinceIndex(config.provinces), *info);
}

// `verified` means someone confirmed the entry still operates: it needs who (an office or role).
void ReadVerified(FieldReader& read, const YamlNode& root, int tz, SupportInfo* info) {
  info->verified = read.Date(root, "verified", false, tz);
  info->verified_by = read.Text(root, "verified_by", false).value_or("");
  const YamlNode* date = root.Find("verified");
  const YamlNode* by = root.Find("verified_by");
  if (date && info->verified_by.empty()) {
    read.Error(by ? by->line : date->line, "verified_by", Diag::check_verified_by);
  } else if (!date && by) {
    read.Error(by->line, "verified", Diag::check_verified);
  }
}

// A support entry's place, organisation, services, contact, coordinates and verification.
void ReadSupportFields(FieldReader& read, const YamlNode& root, const SiteConfig& config,
                       const ProvinceIndex* provinces, Page* page) {
  const int tz = config.utc_offset_minutes;
  SupportInfo info;
  ReadSupportPlace(read, root, config, provinces, &info);
  info.organisation = read.Text(root, "organisation", true).value_or("");
  if (auto services = ReadServices(read, root)) info.services = *services;
  ReadContact(read, root, &info);
  ReadCoordinates(read, root, &info);
  ReadVerified(read, root, tz, &info);
  page->support = info;
}

// An amnesty round: decision number and date, status, key dates (label and date), conditions.
void ReadRoundFields(FieldReader& read, const YamlNode& root, int tz, Page* page) {
  RoundInfo info;
  info.decision = read.Text(root, "decision", false).value_or("");
  info.decision_date = read.Date(root, "decision_date", false, tz);
  info.status = read.Choice(root, "status", true, RoundStatuses()).value_or("");
  if (const YamlNode* list = read.List(root, "key_dates", true)) {
    for (size_t i = 0; i < list->items.size(); ++i) {
      const std::string prefix = "key_dates[" + std::to_string(i) + "].";
      const YamlNode& item = list->items[i];
      if (!item.IsMap()) {
        read.Error(item.line, prefix.substr(0, prefix.size() - 1), Diag::check_key_date_item);
        continue;
      }
      read.RejectUnknown(item, {"label", "date"}, prefix);
      KeyDate key_date;
      key_date.label = read.Text(item, "label", true, prefix).value_or("");
      if (auto date = read.Date(item, "date", true, tz, prefix)) key_date.date = *date;
      info.key_dates.push_back(std::move(key_date));
    }
  }
  info.conditions = read.TextList(root, "conditions", false).value_or(std::vector<std::string>{});
  page->round = info;
}

}  // namespace

bool PageFromText(const std::string& relative_path, const std::string& display_path,
                   std::string text, const SiteConfig& config, Diagnostics* diagnostics,
                   Page* page, const ProvinceIndex* provinces) {
  size_t errors_before = diagnostics->size();
  FileName name;
  if (!ParseFileName(relative_path, display_path, config, diagnostics, &name)) return false;
  *page = Page{};
  page->section = name.section;
  page->slug = name.slug;
  page->lang = name.lang;
  page->source_path = display_path;
  page->source_text = NormaliseSourceText(std::move(text));
  auto yaml = FrontMatterOf(page, display_path, diagnostics);
  if (!yaml) return false;
  YamlNode root;
  YamlError yaml_error;
  if (!ParseYaml(*yaml, &root, &yaml_error)) {
    diagnostics->Add(display_path, yaml_error.line + 1, "", yaml_error.problem);
    return false;
  }
  FieldReader read(display_path, diagnostics, /*line_offset=*/1);
  if (!root.IsMap()) {
    read.Error(root.line, "", Diag::check_front_matter_fields);
    return false;
  }
  const PageKind& kind = KindOfPage(config, page->section, page->slug);
  page->kind = std::string(kind.name);
  read.RejectUnknown(root, FieldNamesOfKind(kind));
  const int tz = config.utc_offset_minutes;
  ReadCommonFields(read, root, kind, tz, page);
  ReadSources(read, root, kind, page);
  ReadTranslation(read, root, config, page);
  if (kind.story_fields) ReadStoryFields(read, root, tz, page);
  if (kind.support_fields) ReadSupportFields(read, root, config, provinces, page);
  if (kind.round_fields) ReadRoundFields(read, root, tz, page);
  if (!page->slug.empty() &&
      page->body_markdown().find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics->Add(display_path, page->body_first_line, "body", Diag::check_body_empty);
  }
  return diagnostics->size() == errors_before;
}

Problem TranslationWithoutSource(const Page& page, const SiteConfig& config) {
  return {Diag::check_translation_source,
          {{"lang", config.default_language},
           {"file", page.TranslationKey() + (page.slug.empty() ? "/_index" : "") + "." +
                        config.default_language + ".md"}}};
}

std::optional<Problem> ContentFileRefusal(const FileSystem& fs, const std::string& path,
                                          const std::string& content_dir, uint64_t max_bytes) {
  if (fs.IsLink(path) && !ResolvesWithin(path, JoinPath(content_dir, ".."))) {
    return Problem(Diag::check_file_link);
  }
  int64_t size = fs.FileSize(path);
  if (size >= 0 && static_cast<uint64_t>(size) > max_bytes) {
    return Problem(Diag::check_file_large, {{"size", std::to_string(size >> 10)},
                                            {"limit", std::to_string(max_bytes >> 20)}});
  }
  return std::nullopt;
}

std::vector<size_t> LoadContentInPlace(const FileSystem& fs, const std::string& content_dir,
                                       const std::string& display_prefix, const SiteConfig& config,
                                       Diagnostics* diagnostics, const LoadHooks& hooks) {
  if (!fs.IsDirectory(content_dir)) {
    diagnostics->Add(display_prefix, 0, "", PlainProblem("content folder not found"));
    return {};
  }
  std::vector<std::string> files;
  for (auto& relative : fs.ListFiles(content_dir)) {
    if (relative.size() >= 3 && relative.compare(relative.size() - 3, 3, ".md") == 0) {
      files.push_back(std::move(relative));
    }
  }
  if (hooks.on_listed) hooks.on_listed(files.size());
  // Files are independent: parse them on all cores, each into its own slot.
  std::vector<char> valid(files.size(), 0);
  std::vector<Diagnostics> problems(files.size());
  const ProvinceIndex provinces(config.provinces);
  ParallelFor(files.size(), DefaultThreads(), [&](size_t i) {
    std::string display = JoinPath(display_prefix, files[i]);
    std::string path = JoinPath(content_dir, files[i]);
    Page* page = hooks.page_slot(i);
    if (auto refusal = ContentFileRefusal(fs, path, content_dir, config.max_content_file_bytes)) {
      problems[i].Add(display, 0, "file", *refusal);
      return;
    }
    if (hooks.cached && hooks.cached(i, path, display)) {
      valid[i] = 1;
      return;
    }
    auto text = fs.ReadFile(path);
    if (!text.ok()) {
      problems[i].Add(display, 0, "", Diag::check_file_unreadable);
      return;
    }
    *page = Page();
    if (PageFromText(files[i], display, std::move(text).value(), config, &problems[i], page,
                     &provinces)) {
      if (hooks.on_parsed) hooks.on_parsed(i, *page, &problems[i]);
      valid[i] = 1;
    }
  });
  std::vector<size_t> order;  // files with a valid page
  // Pages whose file is named right but whose content is invalid, by key and language: one
  // cause, reported once (a translation of it is not also "without a source page").
  std::set<std::pair<std::string, std::string>> invalid;
  for (size_t i = 0; i < files.size(); ++i) {
    diagnostics->Append(problems[i]);
    if (valid[i]) {
      order.push_back(i);
      continue;
    }
    FileName name;
    Diagnostics ignored;
    if (!ParseFileName(files[i], files[i], config, &ignored, &name)) continue;
    std::string key = name.slug.empty() ? name.section : name.section + "/" + name.slug;
    invalid.emplace(key, name.lang);
    if (hooks.on_invalid) hooks.on_invalid(key, name.lang);
  }
  std::vector<const Page*> pages(files.size(), nullptr);  // the slots, fetched once
  for (size_t i : order) pages[i] = hooks.page_slot(i);
  // Translations follow a page in the source language.
  std::unordered_set<std::string> source_keys;
  for (size_t i : order) {
    if (pages[i]->lang == config.default_language) source_keys.insert(pages[i]->TranslationKey());
  }
  for (size_t i : order) {
    const Page& p = *pages[i];
    if (p.lang == config.default_language) continue;
    std::string key = p.TranslationKey();
    if (!source_keys.count(key) && !invalid.count({key, config.default_language})) {
      diagnostics->Add(p.source_path, 0, "", TranslationWithoutSource(p, config));
    }
  }
  std::sort(order.begin(), order.end(), [&pages](size_t a, size_t b) {
    return std::tie(pages[a]->section, pages[a]->slug, pages[a]->lang) <
           std::tie(pages[b]->section, pages[b]->slug, pages[b]->lang);
  });
  return order;
}

std::vector<Page> LoadContent(const FileSystem& fs, const std::string& content_dir,
                              const std::string& display_prefix, const SiteConfig& config,
                              Diagnostics* diagnostics) {
  std::vector<Page> slots;
  LoadHooks own;
  own.on_listed = [&slots](size_t count) { slots.resize(count); };
  own.page_slot = [&slots](size_t file) { return &slots[file]; };
  std::vector<Page> pages;
  for (size_t i : LoadContentInPlace(fs, content_dir, display_prefix, config, diagnostics, own)) {
    pages.push_back(std::move(slots[i]));
  }
  return pages;
}

}  // namespace clemency
