#include "i18n/messages.h"

#include <unicode/msgfmt.h>
#include <unicode/timezone.h>

#include <atomic>
#include <memory>
#include <unordered_map>

#include "config/yaml_fields.h"

namespace clemency {
namespace {

std::unique_ptr<icu::MessageFormat> Compile(const std::string& pattern, const std::string& locale,
                                            std::string* error) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  auto format = std::make_unique<icu::MessageFormat>(
      icu::UnicodeString::fromUTF8(pattern), icu::Locale(locale.c_str()), parse_error, status);
  if (U_FAILURE(status)) {
    if (error) {
      *error = std::string("invalid ICU MessageFormat pattern (") + u_errorName(status) +
               " at offset " + std::to_string(parse_error.offset) + ")";
    }
    return nullptr;
  }
  return format;
}

}  // namespace

void SetDisplayTimeZone(const std::string& zone_id) {
  icu::TimeZone::adoptDefault(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone_id)));
}

Result<MessageCatalogs> MessageCatalogs::Load(const FileSystem& fs, const std::string& i18n_dir,
                                              const SiteConfig& config, Diagnostics* diagnostics) {
  static std::atomic<uint64_t> next_id{1};
  MessageCatalogs out;
  out.id_ = next_id++;
  size_t errors_before = diagnostics->size();
  for (const auto& language : config.languages) {
    std::string path = JoinPath(i18n_dir, language.code + ".yaml");
    YamlNode root;
    if (!ReadYamlFile(fs, path, "missing interface strings for language '" + language.code + "'",
                      &root, diagnostics)) {
      continue;
    }
    if (!root.IsMap()) {
      diagnostics->Add(path, root.line, "",
                       PlainProblem("must be a mapping of message keys to patterns"));
      continue;
    }
    Catalog catalog;
    catalog.locale = language.FormatLocale();  // Khmer dates in Khmer digits, like the text
    for (const auto& [key, value] : root.entries) {
      if (!value.IsScalar()) {
        diagnostics->Add(path, value.line, key, PlainProblem("must be a message pattern (text)"));
        continue;
      }
      std::string message;
      if (!Compile(value.scalar, catalog.locale, &message)) {
        diagnostics->Add(path, value.line, key, PlainProblem(message));
        continue;
      }
      catalog.patterns[key] = value.scalar;
    }
    out.catalogs_[language.code] = std::move(catalog);
  }
  // Every language must say everything the default language says.
  auto base = out.catalogs_.find(config.default_language);
  if (base != out.catalogs_.end()) {
    for (const auto& [code, catalog] : out.catalogs_) {
      for (const auto& [key, pattern] : base->second.patterns) {
        if (!catalog.patterns.count(key)) {
          diagnostics->Add(
              JoinPath(i18n_dir, code + ".yaml"), 0, key,
              PlainProblem("missing (defined in " + config.default_language + ".yaml)"));
        }
      }
    }
  }
  if (diagnostics->size() != errors_before) return Status::Error("invalid interface strings");
  return out;
}

bool MessageCatalogs::Has(const std::string& lang, const std::string& key) const {
  auto it = catalogs_.find(lang);
  return it != catalogs_.end() && it->second.patterns.count(key);
}

std::string MessageCatalogs::Format(const std::string& lang, const std::string& key,
                                    const MessageArgs& args) const {
  auto catalog = catalogs_.find(lang);
  if (catalog == catalogs_.end()) return key;
  auto pattern = catalog->second.patterns.find(key);
  if (pattern == catalog->second.patterns.end()) return key;
  // Formatters are not thread-safe; each render thread compiles and keeps its own.
  thread_local std::map<std::string, std::unique_ptr<icu::MessageFormat>> cache;
  std::string cache_key = std::to_string(id_) + '\x1f' + lang + '\x1f' + key;
  auto cached = cache.find(cache_key);
  if (cached == cache.end()) {
    cached =
        cache.emplace(cache_key, Compile(pattern->second, catalog->second.locale, nullptr)).first;
  }
  if (!cached->second) return key;
  // The same message with the same arguments (a date shown on many pages) is formatted once.
  thread_local std::unordered_map<std::string, std::string> results;
  std::string result_key = cache_key;
  for (const auto& [name, value] : args) {
    result_key += '\x1f' + name + '=';
    if (const auto* text = std::get_if<std::string>(&value)) {
      result_key += "s" + *text;
    } else if (const auto* number = std::get_if<long>(&value)) {
      result_key += "n" + std::to_string(*number);
    } else {
      result_key += "d" + std::to_string(std::get<DateTime>(value).unix_seconds);
    }
  }
  if (auto hit = results.find(result_key); hit != results.end()) return hit->second;
  if (results.size() > 50000) results.clear();
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (const auto& [name, value] : args) {
    names.push_back(icu::UnicodeString::fromUTF8(name));
    if (const auto* text = std::get_if<std::string>(&value)) {
      values.emplace_back(icu::UnicodeString::fromUTF8(*text));
    } else if (const auto* number = std::get_if<long>(&value)) {
      values.emplace_back(static_cast<int64_t>(*number));
    } else {
      values.emplace_back(std::get<DateTime>(value).ToUnixMillis(), icu::Formattable::kIsDate);
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString result;
  cached->second->format(names.data(), values.data(), static_cast<int32_t>(values.size()), result,
                         status);
  if (U_FAILURE(status)) return key;
  std::string out;
  result.toUTF8String(out);
  results.emplace(std::move(result_key), out);
  return out;
}

std::map<std::string, std::string> MessageCatalogs::PlainStrings(const std::string& lang) const {
  std::map<std::string, std::string> out;
  auto catalog = catalogs_.find(lang);
  if (catalog == catalogs_.end()) return out;
  for (const auto& [key, pattern] : catalog->second.patterns) out[key] = Format(lang, key);
  return out;
}

}  // namespace clemency
