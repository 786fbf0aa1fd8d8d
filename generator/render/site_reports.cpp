// The site's reports for editors: translation coverage, readability and term use.
#include "render/site.h"

#include <map>

#include "content/checks.h"

namespace clemency {

CoverageReport Site::Coverage() const {
  CoverageReport report;
  for (const auto& [key, translations] : groups()) {
    auto source = translations.find(config_.default_language);
    for (const auto& language : config_.languages) {
      auto it = translations.find(language.code);
      if (it == translations.end()) {
        report.missing.push_back({key, language.code});
        continue;
      }
      const Page& page = pages_[it->second].page;
      if (source != translations.end() && page.translated_from &&
          *page.translated_from < pages_[source->second].page.updated) {
        report.stale.push_back({key, language.code,
                                pages_[source->second].page.updated.ToDateString(),
                                page.translated_from->ToDateString()});
      }
    }
  }
  return report;
}

std::string CoverageReport::ToString() const {
  std::string out = "Translation coverage\n";
  if (missing.empty() && stale.empty()) out += "  every page is translated and up to date\n";
  for (const auto& m : missing) {
    out += "  missing  " + m.lang + "  " + (m.key.empty() ? "(home)" : m.key) + "\n";
  }
  for (const auto& s : stale) {
    out += "  older    " + s.lang + "  " + (s.key.empty() ? "(home)" : s.key) +
           "  translated from " + s.translated_from + ", source updated " + s.source_updated + "\n";
  }
  return out;
}

std::string Site::TermReport() const {
  std::string out =
      "Termbase (site/terms.yaml): pages (and site/ string files) using each concept's term, "
      "variants left\n";
  if (termbase_.concepts.empty()) return out + "  no termbase\n";
  std::map<std::string, std::map<std::string, TermUse>> by_language;  // lang -> concept -> use
  for (const auto& rendered : pages_) {
    auto text = SourceText(rendered);
    if (!text.ok()) continue;
    const LanguageConfig* language = config_.FindLanguage(rendered.page.lang);
    Page page = rendered.page;
    page.source_text = *text;
    CountTermUse(page, termbase_, language ? language->locale : "", &by_language[page.lang]);
  }
  for (const Page& page : SiteStringPages(*fs_, source_dir_, config_)) {
    const LanguageConfig* language = config_.FindLanguage(page.lang);
    CountTermUse(page, termbase_, language ? language->locale : "", &by_language[page.lang]);
  }
  size_t variants = 0;
  for (const auto& entry : termbase_.concepts) {
    out += "  " + entry.id + "\n";
    for (const auto& language : config_.languages) {
      const TermUse& use = by_language[language.code][entry.id];
      auto preferred = entry.preferred.find(language.code);
      out += "    " + language.code + "  " +
             (preferred == entry.preferred.end() ? "(none)" : preferred->second) + "  " +
             std::to_string(use.pages_using) + " pages, " + std::to_string(use.variants) +
             " variants\n";
      variants += use.variants;
    }
  }
  return out + "  " + std::to_string(variants) + " termbase variants in all\n";
}

std::string Site::ReadabilityReport() const {
  std::string out = "Readability\n";
  for (const auto& rendered : pages_) {
    out += std::string("  ") + (rendered.readability.passes() ? "ok    " : "FAIL  ") +
           rendered.page.source_path + "  " + rendered.readability.Describe() + "\n";
  }
  return out;
}

}  // namespace clemency
