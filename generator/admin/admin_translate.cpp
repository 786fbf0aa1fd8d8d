// The translator's screen: the source language's live text beside the translation being
// edited, and `translated_from` set on save to the source revision the translator saw.
#include "admin/admin_pages.h"
#include "admin/page_form.h"
#include "content/page_file.h"

namespace clemency {

std::optional<TranslationState> AdminSite::SourceState(const std::string& path) const {
  auto file = FileOf(path);
  if (!file || file->lang == config_.default_language) return std::nullopt;
  auto pages = auth_->workflow()->Pages();
  if (!pages.ok()) return std::nullopt;
  for (const TranslationState& row : pages.value()) {
    if (row.section == file->section && row.slug == file->slug &&
        row.lang == config_.default_language) {
      return row;
    }
  }
  return std::nullopt;
}

// The source's body (read-only), its date, and what changed in it since the translation's
// `translated_from` (the dashboard's word diff), for a translation's edit screen.
void AdminSite::AddSourcePanel(AdminPage& page, const std::string& path, View* view) const {
  auto source = SourceState(path);
  if (!source) return;
  auto text = auth_->workflow()->PublishedText(source->source_path);
  if (!text.ok()) return;
  view->Set("has_source", true).Set("source_lang", config_.default_language);
  view->Set("source_heading",
            T(page, "source_heading", {{"lang", LanguageName(page, config_.default_language)}}));
  view->Set("source_line", T(page, "source_line", {{"title", source->title},
                                                   {"updated", Time(source->updated)}}));
  view->Set("source_body", std::string(MarkdownBody(text.value())));
  if (auto dashboard = auth_->workflow()->GetDashboard(); dashboard.ok()) {
    for (const TranslationFlag& flag : dashboard->translations) {
      if (flag.path == path && !flag.diff_html.empty()) {
        // The textdiff module's escaped HTML, so it goes in as it is.
        view->Set("source_diff_html", flag.diff_html);
        view->Set("source_diff_line", T(page, "source_diff_line",
                                        {{"from", Time(flag.translated_from)}}));
      }
    }
  }
}

// `text` (a translation's page file) with `translated_from` naming the source's current
// revision; the field keeps its place, or is added when missing. Not a translation, or no
// published source: `text` as it is.
std::string AdminSite::WithTranslatedFrom(const std::string& path, const std::string& text) const {
  auto source = SourceState(path);
  if (!source || source->updated.empty()) return text;
  const std::string line = std::string(kTranslatedFrom) + ": " + source->updated;
  PageForm form = SplitPage(text);
  if (!form.has_front_matter) return text;
  // Whole lines of the front matter: the field's line is replaced where it stands.
  const std::string key = "\n" + std::string(kTranslatedFrom) + ":";
  size_t end = text.find("\n---", 3);
  size_t at = text.find(key);
  if (at != std::string::npos && end != std::string::npos && at < end) {
    size_t line_end = text.find('\n', at + 1);
    return text.substr(0, at + 1) + line + text.substr(line_end);
  }
  return ReplaceFrontMatterFields(text, {}, line + "\n");
}

}  // namespace clemency
