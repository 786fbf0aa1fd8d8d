// The files a site's links may point at, and the checks of its pages' links and images and of
// the self-check's links to guides (Site's link half; site.cpp loads and indexes).
#include <algorithm>
#include <unordered_set>

#include "core/parallel.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "render/site.h"

namespace clemency {
namespace {

// The line of `text` where `needle` first appears, else `fallback` (for link diagnostics).
int LineOf(const std::string& text, const std::string& needle, int fallback) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return fallback;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// Resolves `href` (relative or site path) against the page path `base` ("/vi/guides/x/").
std::string ResolvePath(const std::string& base, const std::string& href) {
  std::string joined = href.front() == '/' ? href : base.substr(0, base.rfind('/') + 1) + href;
  std::vector<std::string> parts;
  size_t start = 1;
  while (start <= joined.size()) {
    size_t slash = joined.find('/', start);
    std::string part =
        joined.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (part != "." && !part.empty()) {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < parts.size(); ++i) out += parts[i] + (i + 1 < parts.size() ? "/" : "");
  if (!parts.empty() && (joined.back() == '/' || parts.back().find('.') == std::string::npos)) {
    out += "/";
  }
  return out;
}

}  // namespace

namespace {

// The site paths of an uploaded image's copies: its full width first, then each narrower one
// (what Markdown's srcset names).
std::vector<std::string> MediaCopies(const paths::MediaName& full) {
  std::vector<std::string> copies = {paths::MediaFile(full)};
  for (int width : paths::MediaVariantWidths(full.width)) {
    paths::MediaName copy = full;
    copy.width = width;
    copy.height = paths::MediaVariantHeight(full.width, full.height, width);
    copies.push_back(paths::MediaFile(copy));
  }
  return copies;
}

}  // namespace

std::set<std::string> Site::MediaOutputs() const {
  std::set<std::string> outputs;
  for (const RenderedPage& rendered : pages_) {
    if (!rendered.live) continue;
    for (const auto& image : rendered.body.images) {
      std::optional<paths::MediaName> media = paths::ParseMediaFile(image.src);
      if (!media || !image.safe) continue;
      for (const std::string& copy : MediaCopies(*media)) {
        if (media_->files.count(copy)) outputs.insert(copy.substr(1));
      }
    }
  }
  return outputs;
}

void Site::CheckLinks(Diagnostics* diagnostics,
                      const std::function<bool(const RenderedPage&)>& should_check) const {
  const std::unordered_set<std::string> files = LinkableFiles();
  // Pages are checked on all cores, each into its own list, reported in page order.
  std::vector<Diagnostics> found(pages_.size());
  ParallelFor(pages_.size(), DefaultThreads(), [&](size_t index) {
    if (should_check(pages_[index])) CheckPageLinks(pages_[index], files, &found[index]);
  });
  for (const auto& problems : found) diagnostics->Append(problems);
}

std::unordered_set<std::string> Site::LinkableFiles() const {
  // Paths the build writes besides pages: feeds, static files, the sitemap, robots.txt.
  std::unordered_set<std::string> files = {"/sitemap.xml", "/robots.txt"};
  for (const auto& language : config_.languages) {
    for (const char* format : {"atom", "rss", "json"}) {
      files.insert(paths::Feed(language.code, "", format));
      for (const auto& section : config_.sections) {
        files.insert(paths::Feed(language.code, section.name, format));
      }
    }
  }
  for (const auto& file : static_files_) files.insert("/" + file);
  files.insert(media_->files.begin(), media_->files.end());
  // The self-check's pages: content may link to its start, a question or an outcome.
  if (!selfcheck_.empty()) {
    for (const auto& language : config_.languages) {
      files.insert(paths::SelfCheck(language.code));
      for (const auto& q : selfcheck_.questions)
        files.insert(paths::SelfCheck(language.code, q.id));
      for (const auto& o : selfcheck_.outcomes)
        files.insert(paths::SelfCheckResult(language.code, o.id));
    }
  }
  return files;
}

namespace {

// The language and translation key of the page path `path` (/<lang>/, /<lang>/<section>/ or
// /<lang>/<section>/<slug>/) and its number of parts; false when it is not a page path of
// `config`'s languages and sections.
bool ParsePagePath(const SiteConfig& config, const std::string& path, std::string* lang,
                   std::string* key, size_t* count) {
  if (path.size() < 2 || path.front() != '/' || path.back() != '/') return false;
  std::vector<std::string> parts;
  for (size_t start = 1; start < path.size();) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (parts.empty() || parts.size() > 3 || !config.FindLanguage(parts[0])) return false;
  if (parts.size() >= 2 && !config.FindSection(parts[1])) return false;
  *lang = parts[0];
  *key = parts.size() == 1   ? ""
         : parts.size() == 2 ? parts[1]
                             : parts[1] + "/" + parts[2];
  *count = parts.size();
  return true;
}

}  // namespace

bool Site::FindLinkedPage(const std::string& path,
                          const std::vector<MarkdownHeading>** headings) const {
  *headings = nullptr;
  std::string lang, key;
  size_t parts = 0;
  if (!ParsePagePath(config_, path, &lang, &key, &parts)) return false;
  const RenderedPage* shown = Find(key, lang);
  if (shown) *headings = &shown->body.headings;
  return shown || parts < 3;  // home and section pages exist without an _index file
}

const RenderedPage* Site::ScheduledAt(const std::string& path) const {
  std::string lang, key;
  size_t parts = 0;
  if (!ParsePagePath(config_, path, &lang, &key, &parts)) return nullptr;
  auto group = indexes_->scheduled.find(key);
  if (group == indexes_->scheduled.end()) return nullptr;
  // The URL shows the default language's page until its own translation is live.
  const RenderedPage* first = nullptr;
  for (const std::string& code : {lang, config_.default_language}) {
    auto it = group->second.find(code);
    if (it == group->second.end()) continue;
    const RenderedPage* page = &pages_[it->second];
    if (!first || page->live_at < first->live_at) first = page;
  }
  return first;
}

std::optional<Problem> Site::LinkProblem(const RenderedPage& rendered, const std::string& href,
                                         const std::unordered_set<std::string>& files) const {
  if (href.empty() || href.find(':') != std::string::npos || href.rfind("//", 0) == 0) {
    return std::nullopt;
  }
  const std::string self = rendered.page.PathIn(rendered.page.lang);
  std::string path = href.substr(0, href.find_first_of("?#"));
  std::string fragment = href.find('#') == std::string::npos ? "" : href.substr(href.find('#') + 1);
  std::string resolved = path.empty() ? self : ResolvePath(self, path);
  const std::vector<MarkdownHeading>* headings = nullptr;
  bool is_file = files.count(resolved) > 0;
  bool is_page = !is_file && FindLinkedPage(resolved, &headings);
  if (const RenderedPage* scheduled = is_file || is_page ? nullptr : ScheduledAt(resolved)) {
    // Broken from the moment this page is shown until the target goes live.
    if (scheduled->live_at > std::max(now_, rendered.live_at)) {
      return ScheduledLinkProblem(href, resolved, *scheduled, rendered);
    }
    is_page = true;
    headings = &scheduled->body.headings;
  }
  bool has_fragment =
      headings && std::any_of(headings->begin(), headings->end(),
                              [&fragment](const MarkdownHeading& h) { return h.id == fragment; });
  // A link to a page whose own file is invalid fails because of that one reported problem.
  if (!is_file && TargetIsInvalid(resolved)) return std::nullopt;
  if (!is_file && !is_page) {
    return Problem(Diag::check_link, {{"href", href}, {"target", resolved}});
  }
  if (!fragment.empty() && resolved.back() == '/' && !has_fragment) {
    return Problem(Diag::check_anchor, {{"href", href}, {"target", resolved}, {"id", fragment}});
  }
  return std::nullopt;
}

void Site::CheckPageLinks(const RenderedPage& rendered, const std::unordered_set<std::string>& files,
                          Diagnostics* problems) const {
  const Page& page = rendered.page;
  // The file is read again only to say on which line a problem is.
  auto line_of = [this, &rendered](const std::string& needle) {
    auto text = SourceText(rendered);
    return text.ok() ? LineOf(*text, needle, rendered.page.body_first_line)
                     : rendered.page.body_first_line;
  };
  for (const auto& link : rendered.body.links) {
    std::optional<Problem> problem = link.safe
                                         ? LinkProblem(rendered, link.href, files)
                                         : Problem(Diag::check_link_scheme, {{"href", link.href}});
    if (problem) problems->Add(page.source_path, line_of("(" + link.href), "body", *problem);
  }
  for (const auto& image : rendered.body.images) {
    if (!image.safe) {
      problems->Add(page.source_path, line_of("(" + image.src), "body",
                    {Diag::check_image_url, {{"src", image.src}}});
    }
    if (image.safe && image.src.rfind("/", 0) == 0 && image.src.rfind("//", 0) != 0) {
      // An uploaded image needs every copy its srcset names in the media library.
      std::optional<paths::MediaName> media = paths::ParseMediaFile(image.src);
      std::vector<std::string> needed =
          media ? MediaCopies(*media)
                : std::vector<std::string>{image.src.substr(0, image.src.find_first_of("?#"))};
      auto missing = std::find_if(needed.begin(), needed.end(),
                                  [&files](const std::string& path) { return !files.count(path); });
      if (missing != needed.end()) {
        problems->Add(page.source_path, line_of("(" + image.src), "body",
                      {Diag::check_image_missing, {{"src", *missing}}});
      }
      // A photo of a person in a story needs the story's consent to cover it.
      auto person = media ? media_->people.find(media->hash) : media_->people.end();
      if (person != media_->people.end() && page.kind == "story" &&
          !ConsentCoversImage(page.consent ? &*page.consent : nullptr, person->second)) {
        problems->Add(page.source_path, line_of("(" + image.src), "consent.images",
                      {Diag::check_image_consent, {{"src", image.src}}});
      }
    }
    if (image.alt.find_first_not_of(" \t") == std::string::npos) {
      problems->Add(page.source_path, line_of("(" + image.src), "body",
                    {Diag::check_alt, {{"src", image.src}}});
    }
  }
}

std::optional<Problem> Site::ScheduledLinkProblem(const std::string& href,
                                                  const std::string& resolved,
                                                  const RenderedPage& target,
                                                  const RenderedPage& from) const {
  auto at = [this](int64_t unix_seconds) {
    return DateTime{unix_seconds, config_.utc_offset_minutes, true}.ToRfc3339();
  };
  DiagnosticArgs args = {{"href", href}, {"target", resolved}, {"date", at(target.live_at)}};
  if (from.live_at > now_ && !from.page.draft) {
    args.emplace_back("live", at(from.live_at));
    return Problem(Diag::check_link_scheduled_later, std::move(args));
  }
  return Problem(Diag::check_link_scheduled, std::move(args));
}

bool Site::TargetIsInvalid(const std::string& path) const {
  // /<lang>/<section>/<slug>/ -> <lang>/<section>/<slug>; the page in that language, or the
  // default language's page it falls back to, is invalid.
  std::string key = path.substr(path.find_first_not_of('/'));
  while (!key.empty() && key.back() == '/') key.pop_back();
  size_t slash = key.find('/');
  std::string lang = key.substr(0, slash);
  std::string rest = slash == std::string::npos ? "" : key.substr(slash);
  return invalid_pages_.count(key) > 0 || invalid_pages_.count(config_.default_language + rest) > 0;
}

std::string Site::SelfCheckGuideHref(const std::string& guide, const selfcheck::Localized& anchor,
                                     const std::string& lang) const {
  auto id = anchor.find(lang);
  return paths::Home(lang) + guide + "/" + (id == anchor.end() ? "" : "#" + id->second);
}

void Site::CheckSelfCheckLinks(Diagnostics* diagnostics) const {
  // A rule's guide section and a question's glossary words: the page exists, and the heading.
  auto check = [&](const std::string& guide, const selfcheck::Localized& anchors,
                   const selfcheck::Origin& origin, const std::string& field) {
    for (const auto& language : config_.languages) {
      const RenderedPage* shown = Find(guide, language.code);
      if (!shown || shown->page.IsIndex()) {
        diagnostics->Add(origin.file, origin.line, field + "guide",
                         {Diag::check_selfcheck_guide, {{"guide", guide}}});
        return;
      }
      auto anchor = anchors.find(language.code);
      const auto& headings = shown->body.headings;
      if (anchor != anchors.end() &&
          std::none_of(headings.begin(), headings.end(),
                       [&](const MarkdownHeading& h) { return h.id == anchor->second; })) {
        diagnostics->Add(
            origin.file, origin.line, field + "anchor." + language.code,
            {Diag::check_selfcheck_anchor,
             {{"page", paths::Page(language.code, shown->page.section, shown->page.slug)},
              {"id", anchor->second}}});
      }
    }
  };
  for (const auto& rule : selfcheck_.rules) {
    check(rule.guide, rule.anchor, rule.origin, "rules[" + rule.id + "].");
  }
  for (const auto& question : selfcheck_.questions) {
    for (const auto& word : question.words) {
      check(word.guide, word.anchor, word.origin, "questions[" + question.id + "].words.");
    }
  }
}

}  // namespace clemency
