#pragma once
// Markdown (CommonMark + GFM tables and strikethrough) to safe HTML. Pure: no I/O, no globals.
// Raw HTML is never passed through (it shows as text); links and images keep only safe URLs.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace clemency {

struct MarkdownOptions {
  // Makes a heading's id from its text; ids are made unique within the document (-2, -3, …).
  std::function<std::string(std::string_view)> heading_id;
  // The document's absolute URL ("https://example.org/vi/guides/a/"), for HTML shown away from
  // the site (feeds, the API): links and image sources without a scheme are made absolute
  // against it (AbsoluteUrl). Empty: URLs are written as the author wrote them.
  std::string document_url{};
};

struct MarkdownLink {
  std::string href;
  bool safe = true;  // false: the URL's scheme is not allowed, the link was rendered as text
};

struct MarkdownImage {
  std::string src, alt;
  bool safe = true;
};

struct MarkdownHeading {
  int level = 0;
  std::string text, id;
};

struct MarkdownResult {
  std::string html;
  std::string plain_text;       // paragraphs separated by blank lines
  std::string first_paragraph;  // plain text of the first paragraph, for summaries
  std::vector<MarkdownLink> links;
  std::vector<MarkdownImage> images;
  std::vector<MarkdownHeading> headings;
};

MarkdownResult RenderMarkdown(std::string_view markdown, const MarkdownOptions& options);

// Returns `url` resolved against the absolute `document_url`: a site path ("/vi/x/") gets its
// scheme and host, a fragment or a relative path ("../x/", "#a") its folder; a URL with a scheme
// (or an empty `document_url`) is returned as it is.
std::string AbsoluteUrl(std::string_view url, std::string_view document_url);

// True for http(s), mailto, tel and scheme-less (relative or site) URLs.
bool IsSafeUrl(std::string_view url, bool allow_mail_and_phone = true);

}  // namespace clemency
