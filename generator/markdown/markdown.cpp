#include "markdown/markdown.h"

#include <md4c.h>

#include <cstdint>
#include <map>
#include <optional>

#include "core/site_paths.h"
#include "core/text.h"

namespace clemency {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes numeric entities and the common named ones; others stay as written.
std::string DecodeEntity(std::string_view entity) {
  static const std::map<std::string, std::string, std::less<>> kNamed = {
      {"&amp;", "&"},         {"&lt;", "<"},    {"&gt;", ">"},    {"&quot;", "\""}, {"&apos;", "'"},
      {"&nbsp;", "\xC2\xA0"}, {"&ndash;", "–"}, {"&mdash;", "—"}, {"&hellip;", "…"}};
  if (entity.size() > 3 && entity[1] == '#') {
    bool hex = entity[2] == 'x' || entity[2] == 'X';
    uint32_t cp = 0;
    for (size_t i = hex ? 3 : 2; i + 1 < entity.size(); ++i) {
      char c = entity[i];
      uint32_t digit = (c >= '0' && c <= '9')          ? c - '0'
                       : hex && (c >= 'a' && c <= 'f') ? c - 'a' + 10
                       : hex && (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                       : 99;
      if (digit == 99 || cp > 0x10FFFF) return "\xEF\xBF\xBD";
      cp = cp * (hex ? 16 : 10) + digit;
    }
    std::string out;
    AppendUtf8(out, cp);
    return out;
  }
  auto it = kNamed.find(entity);
  return it != kNamed.end() ? it->second : std::string(entity);
}

std::string AttributeText(const MD_ATTRIBUTE& attribute) {
  std::string out;
  for (int i = 0; attribute.substr_offsets[i] < attribute.size; ++i) {
    std::string_view part(attribute.text + attribute.substr_offsets[i],
                          attribute.substr_offsets[i + 1] - attribute.substr_offsets[i]);
    switch (attribute.substr_types[i]) {
      case MD_TEXT_ENTITY:
        out += DecodeEntity(part);
        break;
      case MD_TEXT_NULLCHAR:
        out += "\xEF\xBF\xBD";
        break;
      default:
        out += part;
    }
  }
  return out;
}

class Renderer {
 public:
  explicit Renderer(const MarkdownOptions& options) : options_(options) {}

  MarkdownResult Take() {
    // Collapse the plain text's runs of blank lines.
    std::string plain;
    for (size_t i = 0; i < result_.plain_text.size(); ++i) {
      char c = result_.plain_text[i];
      if (c == '\n' && plain.size() >= 2 && plain[plain.size() - 1] == '\n' &&
          plain[plain.size() - 2] == '\n') {
        continue;
      }
      plain += c;
    }
    while (!plain.empty() && (plain.back() == '\n' || plain.back() == ' ')) plain.pop_back();
    size_t first = plain.find_first_not_of('\n');
    result_.plain_text = first == std::string::npos ? "" : plain.substr(first);
    return std::move(result_);
  }

  int EnterBlock(MD_BLOCKTYPE type, void* detail) {
    std::string& out = Out();
    switch (type) {
      case MD_BLOCK_DOC:
        break;
      case MD_BLOCK_QUOTE:
        out += "<blockquote>\n";
        break;
      case MD_BLOCK_UL:
        out += "<ul>\n";
        break;
      case MD_BLOCK_OL: {
        auto* d = static_cast<MD_BLOCK_OL_DETAIL*>(detail);
        out += d->start == 1 ? "<ol>\n" : "<ol start=\"" + std::to_string(d->start) + "\">\n";
        break;
      }
      case MD_BLOCK_LI:
        out += "<li>";
        break;
      case MD_BLOCK_HR:
        out += "<hr>\n";
        break;
      case MD_BLOCK_H:
        heading_level_ = static_cast<MD_BLOCK_H_DETAIL*>(detail)->level;
        heading_html_.clear();
        heading_text_.clear();
        in_heading_ = true;
        break;
      case MD_BLOCK_CODE: {
        auto* d = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
        std::string language = d->lang.text ? AttributeText(d->lang) : "";
        out += IsSlug(Lower(language)) ? "<pre><code class=\"language-" + Lower(language) + "\">"
                                       : "<pre><code>";
        break;
      }
      case MD_BLOCK_HTML:
        break;  // raw HTML blocks are disabled by the parser flags
      case MD_BLOCK_P:
        out += "<p>";
        paragraph_start_ = result_.plain_text.size();
        break;
      case MD_BLOCK_TABLE:
        out += "<div class=\"table\"><table>\n";
        break;
      case MD_BLOCK_THEAD:
        out += "<thead>\n";
        break;
      case MD_BLOCK_TBODY:
        out += "<tbody>\n";
        break;
      case MD_BLOCK_TR:
        out += "<tr>";
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD: {
        auto* d = static_cast<MD_BLOCK_TD_DETAIL*>(detail);
        out += type == MD_BLOCK_TH ? "<th" : "<td";
        if (d->align == MD_ALIGN_CENTER) out += " class=\"center\"";
        if (d->align == MD_ALIGN_RIGHT) out += " class=\"right\"";
        out += ">";
        break;
      }
    }
    return 0;
  }

  int LeaveBlock(MD_BLOCKTYPE type) {
    std::string& out = Out();
    switch (type) {
      case MD_BLOCK_DOC:
        break;
      case MD_BLOCK_QUOTE:
        out += "</blockquote>\n";
        break;
      case MD_BLOCK_UL:
        out += "</ul>\n";
        break;
      case MD_BLOCK_OL:
        out += "</ol>\n";
        break;
      case MD_BLOCK_LI:
        out += "</li>\n";
        result_.plain_text += "\n";
        break;
      case MD_BLOCK_HR:
        break;
      case MD_BLOCK_H: {
        in_heading_ = false;
        std::string id = MakeHeadingId(heading_text_);
        std::string level = std::to_string(heading_level_);
        result_.html += "<h" + level + (id.empty() ? "" : " id=\"" + id + "\"") + ">" +
                        heading_html_ + "</h" + level + ">\n";
        result_.headings.push_back({heading_level_, heading_text_, id});
        result_.plain_text += "\n\n";
        break;
      }
      case MD_BLOCK_CODE:
        out += "</code></pre>\n";
        result_.plain_text += "\n\n";
        break;
      case MD_BLOCK_HTML:
        break;
      case MD_BLOCK_P:
        out += "</p>\n";
        if (result_.first_paragraph.empty()) {
          result_.first_paragraph = result_.plain_text.substr(paragraph_start_);
        }
        result_.plain_text += "\n\n";
        break;
      case MD_BLOCK_TABLE:
        out += "</table></div>\n";
        result_.plain_text += "\n\n";
        break;
      case MD_BLOCK_THEAD:
        out += "</thead>\n";
        break;
      case MD_BLOCK_TBODY:
        out += "</tbody>\n";
        break;
      case MD_BLOCK_TR:
        out += "</tr>\n";
        result_.plain_text += "\n";
        break;
      case MD_BLOCK_TH:
        out += "</th>";
        result_.plain_text += " ";
        break;
      case MD_BLOCK_TD:
        out += "</td>";
        result_.plain_text += " ";
        break;
    }
    return 0;
  }

  int EnterSpan(MD_SPANTYPE type, void* detail) {
    if (image_depth_ > 0) {
      if (type == MD_SPAN_IMG) ++image_depth_;
      return 0;  // inside an image only the alt text counts
    }
    std::string& out = Out();
    switch (type) {
      case MD_SPAN_EM:
        out += "<em>";
        break;
      case MD_SPAN_STRONG:
        out += "<strong>";
        break;
      case MD_SPAN_DEL:
        out += "<del>";
        break;
      case MD_SPAN_CODE:
        out += "<code>";
        break;
      case MD_SPAN_U:
        out += "<u>";
        break;
      case MD_SPAN_A: {
        auto* d = static_cast<MD_SPAN_A_DETAIL*>(detail);
        std::string href = AttributeText(d->href);
        bool safe = IsSafeUrl(href);
        result_.links.push_back({href, safe});
        link_open_.push_back(safe);
        if (safe) {
          out += "<a href=\"" + EscapeHtml(AbsoluteUrl(href, options_.document_url)) + "\"";
          if (d->title.text && d->title.size > 0) {
            out += " title=\"" + EscapeHtml(AttributeText(d->title)) + "\"";
          }
          out += ">";
        }
        break;
      }
      case MD_SPAN_IMG: {
        auto* d = static_cast<MD_SPAN_IMG_DETAIL*>(detail);
        image_src_ = AttributeText(d->src);
        image_alt_.clear();
        image_depth_ = 1;
        break;
      }
      default:
        break;  // math and wiki links are not enabled
    }
    return 0;
  }

  // An uploaded image (paths::MediaFile) gets its size and narrower copies from its name, so
  // the page does not move as it loads and a phone fetches the smallest copy that fits.
  std::string ImageTag() const {
    auto url = [this](const std::string& src) {
      return EscapeHtml(AbsoluteUrl(src, options_.document_url));
    };
    std::optional<paths::MediaName> media = paths::ParseMediaFile(image_src_);
    if (!media) {
      return "<img src=\"" + url(image_src_) + "\" alt=\"" + EscapeHtml(image_alt_) +
             "\" loading=\"lazy\">";
    }
    std::string srcset, src = image_src_;
    for (int w : paths::MediaVariantWidths(media->width)) {
      paths::MediaName copy = *media;
      copy.width = w;
      copy.height = paths::MediaVariantHeight(media->width, media->height, w);
      srcset += url(paths::MediaFile(copy)) + " " + std::to_string(w) + "w, ";
      if (w <= 960 && media->width > 960) src = paths::MediaFile(copy);
    }
    srcset += url(image_src_) + " " + std::to_string(media->width) + "w";
    return "<img src=\"" + url(src) + "\" srcset=\"" + srcset +
           "\" sizes=\"(max-width: 42rem) 100vw, 40rem\" width=\"" +
           std::to_string(media->width) + "\" height=\"" + std::to_string(media->height) +
           "\" alt=\"" + EscapeHtml(image_alt_) + "\" loading=\"lazy\" decoding=\"async\">";
  }

  int LeaveSpan(MD_SPANTYPE type) {
    if (image_depth_ > 0) {
      if (type != MD_SPAN_IMG || --image_depth_ > 0) return 0;
      bool safe = IsSafeUrl(image_src_, false);
      result_.images.push_back({image_src_, image_alt_, safe});
      if (safe) {
        Out() += ImageTag();
      } else {
        Out() += EscapeHtml(image_alt_);
      }
      return 0;
    }
    std::string& out = Out();
    switch (type) {
      case MD_SPAN_EM:
        out += "</em>";
        break;
      case MD_SPAN_STRONG:
        out += "</strong>";
        break;
      case MD_SPAN_DEL:
        out += "</del>";
        break;
      case MD_SPAN_CODE:
        out += "</code>";
        break;
      case MD_SPAN_U:
        out += "</u>";
        break;
      case MD_SPAN_A:
        if (!link_open_.empty()) {
          if (link_open_.back()) out += "</a>";
          link_open_.pop_back();
        }
        break;
      default:
        break;
    }
    return 0;
  }

  int Text(MD_TEXTTYPE type, std::string_view text) {
    std::string piece;
    switch (type) {
      case MD_TEXT_NULLCHAR:
        piece = "\xEF\xBF\xBD";
        break;
      case MD_TEXT_BR:
        piece = "\n";
        break;
      case MD_TEXT_SOFTBR:
        piece = " ";
        break;
      case MD_TEXT_ENTITY:
        piece = DecodeEntity(text);
        break;
      default:
        piece = std::string(text);
    }
    if (image_depth_ > 0) {
      image_alt_ += piece;
      return 0;
    }
    if (in_heading_) heading_text_ += piece;
    result_.plain_text += piece;
    if (type == MD_TEXT_BR) {
      Out() += "<br>\n";
    } else if (type == MD_TEXT_SOFTBR) {
      Out() += "\n";
    } else {
      Out() += EscapeHtml(piece);
    }
    return 0;
  }

 private:
  std::string& Out() { return in_heading_ ? heading_html_ : result_.html; }

  std::string MakeHeadingId(const std::string& text) {
    if (!options_.heading_id) return "";
    std::string base = options_.heading_id(text);
    if (base.empty()) base = "section";
    std::string id = base;
    for (int n = 2; !used_ids_.emplace(id, true).second; ++n) id = base + "-" + std::to_string(n);
    return id;
  }

  const MarkdownOptions& options_;
  MarkdownResult result_;
  size_t paragraph_start_ = 0;
  bool in_heading_ = false;
  int heading_level_ = 0;
  std::string heading_html_, heading_text_;
  std::vector<bool> link_open_;
  int image_depth_ = 0;
  std::string image_src_, image_alt_;
  std::map<std::string, bool> used_ids_;
};

}  // namespace

std::string AbsoluteUrl(std::string_view url, std::string_view document_url) {
  const size_t scheme = document_url.find("://");
  if (document_url.empty() || scheme == std::string_view::npos) return std::string(url);
  size_t colon = url.find(':');
  size_t delimiter = url.find_first_of("/?#");
  if (colon != std::string_view::npos && (delimiter == std::string_view::npos || colon < delimiter))
    return std::string(url);  // has a scheme
  if (url.rfind("//", 0) == 0) return std::string(url);  // another host's; never safe anyway
  const size_t path_start = document_url.find('/', scheme + 3);
  const std::string_view origin = document_url.substr(0, path_start);
  std::string path(path_start == std::string_view::npos ? "/" : document_url.substr(path_start));
  if (url.empty()) return std::string(document_url);
  if (url.front() == '#' || url.front() == '?') {
    return path.substr(0, path.find_first_of("?#")).insert(0, origin) + std::string(url);
  }
  std::string joined = url.front() == '/' ? std::string(url)
                                          : path.substr(0, path.rfind('/') + 1) + std::string(url);
  // Dot segments (RFC 3986 5.2.4), on the path only.
  const size_t query = joined.find_first_of("?#");
  std::string rest = query == std::string::npos ? "" : joined.substr(query);
  std::vector<std::string> parts;
  std::string segment;
  std::string_view walk = std::string_view(joined).substr(0, query);
  for (size_t i = 1; i <= walk.size(); ++i) {
    if (i < walk.size() && walk[i] != '/') {
      segment += walk[i];
      continue;
    }
    if (segment == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (segment != ".") {
      parts.push_back(segment);
    }
    if (i == walk.size() && (segment == ".." || segment == ".")) parts.push_back("");
    segment.clear();
  }
  std::string out(origin);
  for (const auto& part : parts) out += "/" + part;
  if (parts.empty()) out += "/";
  return out + rest;
}

bool IsSafeUrl(std::string_view url, bool allow_mail_and_phone) {
  // A scheme is whatever comes before the first ':' that precedes any '/', '?' or '#'.
  size_t colon = url.find(':');
  size_t delimiter = url.find_first_of("/?#");
  if (colon == std::string_view::npos ||
      (delimiter != std::string_view::npos && delimiter < colon)) {
    return url.rfind("//", 0) != 0;  // relative; protocol-relative URLs are external, refuse them
  }
  std::string scheme = Lower(url.substr(0, colon));
  if (scheme == "http" || scheme == "https") return true;
  return allow_mail_and_phone && (scheme == "mailto" || scheme == "tel");
}

MarkdownResult RenderMarkdown(std::string_view markdown, const MarkdownOptions& options) {
  Renderer renderer(options);
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML;
  parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) {
    return static_cast<Renderer*>(u)->EnterBlock(t, d);
  };
  parser.leave_block = [](MD_BLOCKTYPE t, void*, void* u) {
    return static_cast<Renderer*>(u)->LeaveBlock(t);
  };
  parser.enter_span = [](MD_SPANTYPE t, void* d, void* u) {
    return static_cast<Renderer*>(u)->EnterSpan(t, d);
  };
  parser.leave_span = [](MD_SPANTYPE t, void*, void* u) {
    return static_cast<Renderer*>(u)->LeaveSpan(t);
  };
  parser.text = [](MD_TEXTTYPE t, const MD_CHAR* text, MD_SIZE size, void* u) {
    return static_cast<Renderer*>(u)->Text(t, std::string_view(text, size));
  };
  md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser, &renderer);
  return renderer.Take();
}

}  // namespace clemency
