// A page file as an editor could save it: front matter, Markdown and the single-page checks.
#include <cstddef>
#include <cstdint>
#include <string>

#include "content/checks.h"
#include "content/loader.h"
#include "content/page_file.h"
#include "markdown/markdown.h"
#include "site_fixture.h"

using namespace clemency;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const SiteConfig& config = fuzz::RealConfig();
  for (const char* path : {"guides/thu.vi.md", "stories/thu.en.md", "support/thu.km.md"}) {
    Diagnostics diagnostics;
    Page page;
    if (!PageFromText(path, path, text, config, &diagnostics, &page)) continue;
    const LanguageConfig* language = config.FindLanguage(page.lang);
    if (!language) continue;
    MarkdownOptions options;
    MarkdownResult rendered = RenderMarkdown(page.body_markdown(), options);
    auto rules = fuzz::RealWordingRules().find(page.lang);
    if (rules != fuzz::RealWordingRules().end()) {
      CheckWording(page, rules->second, language->locale, &diagnostics);
      CheckSlugWording(page, rules->second, &diagnostics);
    }
    WarnRawHtml(page, &diagnostics);
    CheckSentenceLength(page, rendered.plain_text, language->locale, config.readability,
                        &diagnostics);
    ScoreReadability(rendered.plain_text, page.lang, language->locale, config.readability);
  }
  // The page-file component's own readers and writers, on any text.
  (void)FieldValue(text, "title");
  (void)ReplaceField(text, "title", text.substr(0, 64));
  (void)ParseContentPath(text, {"vi", "en", "km"});
  return 0;
}
