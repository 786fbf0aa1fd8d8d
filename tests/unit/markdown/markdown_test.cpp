#include "markdown/markdown.h"

#include <catch2/catch.hpp>

using namespace clemency;

namespace {
MarkdownResult Render(const std::string& text) {
  MarkdownOptions options;
  options.heading_id = [](std::string_view t) {
    std::string out;
    for (char c : t)
      out += (c == ' ') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  return RenderMarkdown(text, options);
}
}  // namespace

TEST_CASE("raw HTML never passes through") {
  auto r = Render("<script>alert(1)</script>\n\nText <b onclick=\"x\">bold</b>\n");
  CHECK(r.html.find("<script") == std::string::npos);
  CHECK(r.html.find("<b ") == std::string::npos);
  CHECK(r.html.find("&lt;script&gt;") != std::string::npos);
}

TEST_CASE("javascript: and data: links are dropped, safe ones kept") {
  auto r = Render(
      "[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](data:text/html,x) "
      "[d](https://example.org) [e](mailto:a@b.vn) [f](tel:+84123) [g](/vi/guides/) "
      "[h](javascript&#58;alert(1)) [i](//evil.example)");
  CHECK(r.html.find("javascript") == std::string::npos);
  CHECK(r.html.find("JaVaScRiPt") == std::string::npos);
  CHECK(r.html.find("data:") == std::string::npos);
  CHECK(r.html.find("evil") == std::string::npos);
  CHECK(r.html.find("<a href=\"https://example.org\">d</a>") != std::string::npos);
  CHECK(r.html.find("<a href=\"mailto:a@b.vn\">e</a>") != std::string::npos);
  CHECK(r.html.find("<a href=\"tel:+84123\">f</a>") != std::string::npos);
  CHECK(r.html.find("<a href=\"/vi/guides/\">g</a>") != std::string::npos);
  REQUIRE(r.links.size() == 9);
  CHECK_FALSE(r.links[0].safe);
  CHECK_FALSE(r.links[7].safe);
  CHECK(r.links[6].safe);
}

TEST_CASE("headings get unique ids") {
  auto r = Render("# Step one\n\n## Step one\n\n## Other *words*\n");
  CHECK(r.html.find("<h1 id=\"step-one\">Step one</h1>") != std::string::npos);
  CHECK(r.html.find("<h2 id=\"step-one-2\">Step one</h2>") != std::string::npos);
  CHECK(r.html.find("<h2 id=\"other-words\">Other <em>words</em></h2>") != std::string::npos);
  REQUIRE(r.headings.size() == 3);
  CHECK(r.headings[2].text == "Other words");
}

TEST_CASE("GFM tables render with alignment classes") {
  auto r = Render("| A | B |\n|---|--:|\n| 1 | 2 |\n");
  CHECK(r.html.find("<table>") != std::string::npos);
  CHECK(r.html.find("<th>A</th><th class=\"right\">B</th>") != std::string::npos);
  CHECK(r.html.find("<td>1</td><td class=\"right\">2</td>") != std::string::npos);
}

TEST_CASE("images keep alt text and refuse unsafe sources") {
  auto r = Render("![A family at home](/img/a.png) ![x](javascript:alert(1))");
  CHECK(r.html.find("<img src=\"/img/a.png\" alt=\"A family at home\"") != std::string::npos);
  CHECK(r.html.find("javascript") == std::string::npos);
  REQUIRE(r.images.size() == 2);
  CHECK(r.images[0].alt == "A family at home");
  CHECK_FALSE(r.images[1].safe);
}

TEST_CASE("plain text keeps words and drops markup") {
  auto r = Render("# Title\n\nOne **two** [three](/x).\n\n- four\n- five\n");
  CHECK(r.plain_text == "Title\n\nOne two three.\n\nfour\nfive");
  CHECK(r.first_paragraph == "One two three.");
}

TEST_CASE("text is escaped") {
  auto r = Render("a < b & \"c\"");
  CHECK(r.html == "<p>a &lt; b &amp; &quot;c&quot;</p>\n");
}

TEST_CASE("HTML for embedding has absolute links and image sources") {
  MarkdownOptions options;
  options.document_url = "https://example.org/vi/guides/a/";
  auto r = RenderMarkdown(
      "[x](/vi/guides/b/#dac-xa) [y](#buoc-1) [z](../c/) [w](https://other.example/p) "
      "[m](mailto:a@example.org) ![i](/img/a.png)",
      options);
  CHECK(r.html.find("href=\"https://example.org/vi/guides/b/#dac-xa\"") != std::string::npos);
  CHECK(r.html.find("href=\"https://example.org/vi/guides/a/#buoc-1\"") != std::string::npos);
  CHECK(r.html.find("href=\"https://example.org/vi/guides/c/\"") != std::string::npos);
  CHECK(r.html.find("href=\"https://other.example/p\"") != std::string::npos);
  CHECK(r.html.find("href=\"mailto:a@example.org\"") != std::string::npos);
  CHECK(r.html.find("src=\"https://example.org/img/a.png\"") != std::string::npos);
  // The links found are kept as written: the site's link checks read them.
  CHECK(r.links[0].href == "/vi/guides/b/#dac-xa");
}

TEST_CASE("AbsoluteUrl resolves against a document URL") {
  const std::string doc = "https://example.org/vi/guides/a/";
  CHECK(AbsoluteUrl("/", doc) == "https://example.org/");
  CHECK(AbsoluteUrl("x", doc) == "https://example.org/vi/guides/a/x");
  CHECK(AbsoluteUrl("../../", doc) == "https://example.org/vi/");
  CHECK(AbsoluteUrl("./b?q=1#f", doc) == "https://example.org/vi/guides/a/b?q=1#f");
  CHECK(AbsoluteUrl("?q=1", doc) == "https://example.org/vi/guides/a/?q=1");
  CHECK(AbsoluteUrl("tel:+84123", doc) == "tel:+84123");
  CHECK(AbsoluteUrl("/x", "") == "/x");
  CHECK(AbsoluteUrl("/x", "http://localhost:8080") == "http://localhost:8080/x");
}

TEST_CASE("an uploaded image gets its size, its narrower copies and lazy loading") {
  auto r = Render("![Một gia đình](/media/0123456789abcdef-1920x960.jpg)");
  CHECK(r.html.find("src=\"/media/0123456789abcdef-960x480.jpg\"") != std::string::npos);
  CHECK(r.html.find("srcset=\"/media/0123456789abcdef-480x240.jpg 480w, "
                    "/media/0123456789abcdef-960x480.jpg 960w, "
                    "/media/0123456789abcdef-1920x960.jpg 1920w\"") != std::string::npos);
  CHECK(r.html.find("width=\"1920\" height=\"960\" alt=\"Một gia đình\" loading=\"lazy\"") !=
        std::string::npos);
  auto small = Render("![a](/media/0123456789abcdef-800x600.png)");
  CHECK(small.html.find("src=\"/media/0123456789abcdef-800x600.png\" srcset=\""
                        "/media/0123456789abcdef-480x360.png 480w, "
                        "/media/0123456789abcdef-800x600.png 800w\"") != std::string::npos);
  auto other = Render("![a](/media/not-a-name.png)");
  CHECK(other.html.find("<img src=\"/media/not-a-name.png\" alt=\"a\" loading=\"lazy\">") !=
        std::string::npos);
}
