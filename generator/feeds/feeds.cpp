#include "feeds/feeds.h"

#include "core/site_paths.h"
#include "core/text.h"

namespace clemency {
namespace {

const char kTombstonesNamespace[] = "http://purl.org/atompub/tombstones/1.0";

std::string ExtensionNamespace(const FeedInfo& info) { return info.base_url + paths::kFeedExtension; }
std::string ChangeTypeScheme(const FeedInfo& info) { return info.base_url + paths::kChangeTypeScheme; }

// <clemency:change type="…" updated="…">note</clemency:change>: the change apart from the
// content, so content pasted elsewhere carries no banner. Empty when the entry states none.
std::string ChangeElement(const FeedEntry& entry) {
  if (entry.change_type.empty()) return "";
  std::string out = "    <clemency:change type=\"" + EscapeHtml(entry.change_type) +
                    "\" updated=\"" + entry.updated.ToRfc3339() + "\"";
  const std::string& note = entry.Withdrawn() ? entry.withdrawn_reason : entry.change_note;
  if (note.empty()) return out + "/>\n";
  return out + ">" + EscapeHtml(note) + "</clemency:change>\n";
}

// RFC 6721: a withdrawn entry as <at:deleted-entry>, its reason in at:comment in the language
// it is written in. No atom:link in it: feed readers would take it for the feed's own.
std::string DeletedEntry(const FeedEntry& entry) {
  std::string out = "  <at:deleted-entry ref=\"" + EscapeHtml(entry.id) + "\" when=\"" +
                    entry.updated.ToRfc3339() + "\">\n";
  if (!entry.withdrawn_reason.empty()) {
    const std::string& lang =
        entry.withdrawn_reason_lang.empty() ? entry.lang : entry.withdrawn_reason_lang;
    out += "    <at:comment xml:lang=\"" + EscapeHtml(lang) + "\">" +
           EscapeHtml(entry.withdrawn_reason) + "</at:comment>\n";
  }
  out += ChangeElement(entry);
  return out + "  </at:deleted-entry>\n";
}

// JSON Feed's top-level `_clemency` object (the spec's extension convention): the licence.
std::string JsonFeedLicence(const FeedLicence& licence) {
  if (licence.name.empty()) return "";
  std::string out = ",\n  \"_clemency\": {\"license\": {\"name\": " + JsonString(licence.name);
  if (!licence.spdx.empty()) out += ", \"spdx\": " + JsonString(licence.spdx);
  if (!licence.url.empty()) out += ", \"url\": " + JsonString(licence.url);
  if (!licence.attribution.empty()) out += ", \"attribution\": " + JsonString(licence.attribution);
  return out + "}}";
}

// An item's `_clemency` object: its change (type, note, time; a withdrawal's status and reason)
// and what the licence covers of it.
std::string JsonFeedItemExtension(const FeedEntry& entry) {
  if (entry.change_note.empty() && entry.rights.empty() && entry.change_type.empty()) return "";
  std::vector<std::pair<std::string, std::string>> fields;
  if (!entry.change_note.empty()) fields.emplace_back("change_note", entry.change_note);
  if (!entry.change_type.empty()) {
    fields.emplace_back("change_type", entry.change_type);
    fields.emplace_back("updated", entry.updated.ToRfc3339());
  }
  if (entry.Withdrawn()) {
    fields.emplace_back("status", entry.change_type);
    fields.emplace_back("withdrawn_reason", entry.withdrawn_reason);
    fields.emplace_back("withdrawn_reason_lang",
                        entry.withdrawn_reason_lang.empty() ? entry.lang
                                                            : entry.withdrawn_reason_lang);
  }
  if (!entry.rights.empty()) fields.emplace_back("rights", entry.rights);
  std::string out = ", \"_clemency\": {";
  for (size_t i = 0; i < fields.size(); ++i)
    out += (i ? ", " : "") + JsonString(fields[i].first) + ": " + JsonString(fields[i].second);
  return out + "}";
}

}  // namespace

std::string TagUri(const std::string& base_url, const DateTime& date, const std::string& path) {
  std::string host = base_url;
  size_t scheme = host.find("://");
  if (scheme != std::string::npos) host = host.substr(scheme + 3);
  host = host.substr(0, host.find('/'));
  host = host.substr(0, host.find(':'));
  return "tag:" + host + "," + date.ToDateString() + ":" + path;
}

std::string RenderAtom(const FeedInfo& info, const std::vector<FeedEntry>& entries) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out +=
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:at=\"" + std::string(kTombstonesNamespace) +
      "\" xmlns:clemency=\"" + EscapeHtml(ExtensionNamespace(info)) + "\" xml:lang=\"" +
      EscapeHtml(info.lang) + "\">\n";
  out += "  <title>" + EscapeHtml(info.title) + "</title>\n";
  if (!info.subtitle.empty()) out += "  <subtitle>" + EscapeHtml(info.subtitle) + "</subtitle>\n";
  out += "  <id>" + EscapeHtml(info.id) + "</id>\n";
  out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + EscapeHtml(info.feed_url) +
         "\"/>\n";
  if (!info.hub_url.empty()) out += "  <link rel=\"hub\" href=\"" + EscapeHtml(info.hub_url) + "\"/>\n";
  out +=
      "  <link rel=\"alternate\" type=\"text/html\" href=\"" + EscapeHtml(info.home_url) + "\"/>\n";
  out += "  <updated>" + info.updated.ToRfc3339() + "</updated>\n";
  out += "  <author><name>" + EscapeHtml(info.author) + "</name></author>\n";
  if (!info.licence.rights.empty())
    out += "  <rights>" + EscapeHtml(info.licence.rights) + "</rights>\n";
  out += "  <generator>Clemency</generator>\n";
  // Before the entries: RFC 4287 puts every element of the feed's head ahead of them.
  for (const auto& entry : entries) {
    if (entry.Withdrawn()) out += DeletedEntry(entry);
  }
  for (const auto& entry : entries) {
    out += "  <entry>\n";
    out += "    <title>" + EscapeHtml(entry.title) + "</title>\n";
    out += "    <id>" + EscapeHtml(entry.id) + "</id>\n";
    out +=
        "    <link rel=\"alternate\" type=\"text/html\" href=\"" + EscapeHtml(entry.url) + "\"/>\n";
    out += "    <published>" + entry.published.ToRfc3339() + "</published>\n";
    out += "    <updated>" + entry.updated.ToRfc3339() + "</updated>\n";
    for (const auto& tag : entry.tags) out += "    <category term=\"" + EscapeHtml(tag) + "\"/>\n";
    if (!entry.change_type.empty()) {
      out += "    <category scheme=\"" + EscapeHtml(ChangeTypeScheme(info)) + "\" term=\"" +
             EscapeHtml(entry.change_type) + "\"/>\n";
    }
    if (!entry.summary.empty()) out += "    <summary>" + EscapeHtml(entry.summary) + "</summary>\n";
    if (!entry.rights.empty()) out += "    <rights>" + EscapeHtml(entry.rights) + "</rights>\n";
    out += "    <content type=\"html\">" + EscapeHtml(entry.content_html) + "</content>\n";
    out += ChangeElement(entry);
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

std::string RenderRss(const FeedInfo& info, const std::vector<FeedEntry>& entries) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:clemency=\"" +
         EscapeHtml(ExtensionNamespace(info)) + "\">\n<channel>\n";
  out += "  <title>" + EscapeHtml(info.title) + "</title>\n";
  out += "  <link>" + EscapeHtml(info.home_url) + "</link>\n";
  out += "  <description>" + EscapeHtml(info.subtitle.empty() ? info.title : info.subtitle) +
         "</description>\n";
  out += "  <language>" + EscapeHtml(info.lang) + "</language>\n";
  if (!info.licence.rights.empty())
    out += "  <copyright>" + EscapeHtml(info.licence.rights) + "</copyright>\n";
  out += "  <lastBuildDate>" + info.updated.ToRfc822() + "</lastBuildDate>\n";
  out += "  <atom:link rel=\"self\" type=\"application/rss+xml\" href=\"" +
         EscapeHtml(info.feed_url) + "\"/>\n";
  if (!info.hub_url.empty())
    out += "  <atom:link rel=\"hub\" href=\"" + EscapeHtml(info.hub_url) + "\"/>\n";
  out += "  <generator>Clemency</generator>\n";
  for (const auto& entry : entries) {
    out += "  <item>\n";
    out += "    <title>" + EscapeHtml(entry.title) + "</title>\n";
    out += "    <link>" + EscapeHtml(entry.url) + "</link>\n";
    out += "    <guid isPermaLink=\"false\">" + EscapeHtml(entry.id) + "</guid>\n";
    out += "    <pubDate>" + entry.published.ToRfc822() + "</pubDate>\n";
    // RSS 2.0 has no update date: Atom's, so a correction is visible there too.
    out += "    <atom:updated>" + entry.updated.ToRfc3339() + "</atom:updated>\n";
    for (const auto& tag : entry.tags) out += "    <category>" + EscapeHtml(tag) + "</category>\n";
    if (!entry.change_type.empty()) {
      out += "    <category domain=\"" + EscapeHtml(ChangeTypeScheme(info)) + "\">" +
             EscapeHtml(entry.change_type) + "</category>\n";
    }
    out += "    <description>" + EscapeHtml(entry.content_html) + "</description>\n";
    out += ChangeElement(entry);
    out += "  </item>\n";
  }
  out += "</channel>\n</rss>\n";
  return out;
}

std::string RenderJsonFeed(const FeedInfo& info, const std::vector<FeedEntry>& entries) {
  std::string out = "{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n  \"title\": ";
  AppendJsonString(out, info.title);
  out += ",\n  \"home_page_url\": ";
  AppendJsonString(out, info.home_url);
  out += ",\n  \"feed_url\": ";
  AppendJsonString(out, info.feed_url);
  if (!info.subtitle.empty()) {
    out += ",\n  \"description\": ";
    AppendJsonString(out, info.subtitle);
  }
  out += ",\n  \"language\": ";
  AppendJsonString(out, info.lang);
  out += ",\n  \"authors\": [{\"name\": ";
  AppendJsonString(out, info.author);
  out += "}]";
  out += JsonFeedLicence(info.licence);
  if (!info.hub_url.empty()) {
    out += ",\n  \"hubs\": [{\"type\": \"WebSub\", \"url\": " + JsonString(info.hub_url) + "}]";
  }
  out += ",\n  \"items\": [";
  for (size_t i = 0; i < entries.size(); ++i) {
    const FeedEntry& entry = entries[i];
    out += i == 0 ? "\n    {" : ",\n    {";
    out += "\"id\": " + JsonString(entry.id);
    out += ", \"url\": " + JsonString(entry.url);
    out += ", \"title\": " + JsonString(entry.title);
    if (!entry.summary.empty()) out += ", \"summary\": " + JsonString(entry.summary);
    out += ", \"content_html\": " + JsonString(entry.content_html);
    out += ", \"date_published\": " + JsonString(entry.published.ToRfc3339());
    out += ", \"date_modified\": " + JsonString(entry.updated.ToRfc3339());
    out += ", \"language\": " + JsonString(entry.lang);
    if (!entry.tags.empty()) {
      out += ", \"tags\": [";
      for (size_t t = 0; t < entry.tags.size(); ++t)
        out += (t ? ", " : "") + JsonString(entry.tags[t]);
      out += "]";
    }
    out += JsonFeedItemExtension(entry);
    out += "}";
  }
  out += entries.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string RenderSitemap(const std::vector<SitemapGroup>& groups, size_t first, size_t count) {
  // The file can be tens of megabytes: size it once instead of growing it by copies.
  size_t index = 0, size = 256;
  for (const auto& group : groups) {
    size_t alternates = 0;
    for (const auto& [hreflang, href] : group.alternates)
      alternates += 64 + hreflang.size() + href.size();
    for (const auto& url : group.urls) {
      if (index >= first && index < first + count) size += 96 + url.first.size() + alternates;
      ++index;
    }
  }
  std::string out;
  out.reserve(size);
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out +=
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
      "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
  index = 0;
  for (const auto& group : groups) {
    for (const auto& [loc, lastmod] : group.urls) {
      if (index++ < first) continue;
      if (index > first + count) break;
      out += "  <url>\n    <loc>";
      out += EscapeHtml(loc);
      out += "</loc>\n";
      if (lastmod.unix_seconds != 0) {
        out += "    <lastmod>";
        out += lastmod.ToRfc3339();
        out += "</lastmod>\n";
      }
      for (const auto& [hreflang, href] : group.alternates) {
        out += "    <xhtml:link rel=\"alternate\" hreflang=\"";
        out += EscapeHtml(hreflang);
        out += "\" href=\"";
        out += EscapeHtml(href);
        out += "\"/>\n";
      }
      out += "  </url>\n";
    }
    if (index >= first + count) break;
  }
  out += "</urlset>\n";
  return out;
}

std::string RenderSitemapIndex(const std::vector<std::string>& sitemap_urls) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const auto& url : sitemap_urls) {
    out += "  <sitemap>\n    <loc>" + EscapeHtml(url) + "</loc>\n  </sitemap>\n";
  }
  out += "</sitemapindex>\n";
  return out;
}

}  // namespace clemency
