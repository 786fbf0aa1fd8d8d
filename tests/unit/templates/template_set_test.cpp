#include "templates/template_set.h"

#include <catch2/catch.hpp>

using namespace clemency;

namespace {

std::shared_ptr<const TemplateSet> Load(MemoryFileSystem& fs, Diagnostics* d) {
  auto set = TemplateSet::Load(fs, "templates", d);
  REQUIRE(set.ok());
  return *set;
}

}  // namespace

TEST_CASE("pages render inside the layout; partials are spliced in; values are escaped") {
  MemoryFileSystem fs;
  fs.Add("templates/baseof.mustache", "<html lang=\"{{lang}}\">{{{content}}}</html>");
  fs.Add("templates/page.mustache", "{{> crumbs}}<h1>{{title}}</h1>{{{body}}}");
  fs.Add("templates/partials/crumbs.mustache",
         "<nav>{{#trail}}<a href=\"{{href}}\">{{name}}</a>{{/trail}}</nav>");
  Diagnostics d;
  auto set = Load(fs, &d);
  View view;
  view.Set("lang", View("vi")).Set("title", View("A & <B>")).Set("body", View("<p>ok</p>"));
  View trail = View::List();
  trail.Push(View().Set("href", View("/vi/")).Set("name", View("Trang chủ")));
  view.Set("trail", trail);
  CHECK(set->RenderPage("page", view) ==
        "<html lang=\"vi\"><nav><a href=\"/vi/\">Trang chủ</a></nav><h1>A &amp; "
        "&lt;B&gt;</h1><p>ok</p></html>");
}

TEST_CASE("interface strings are filled in per language, escaped, without mixing sets") {
  MemoryFileSystem fs;
  fs.Add("templates/baseof.mustache", "{{{content}}}");
  fs.Add("templates/page.mustache", "<a>{{t.skip}}</a>{{t.unknown}}<b>{{title}}</b>");
  Diagnostics d;
  auto set = Load(fs, &d);
  auto vi = set->WithStrings({{"skip", "Chuyển đến nội dung"}});
  auto en = set->WithStrings({{"skip", "Skip to \"content\" & more"}});
  View view;
  view.Set("title", View("T"));
  CHECK(vi->RenderPage("page", view) == "<a>Chuyển đến nội dung</a><b>T</b>");
  CHECK(en->RenderPage("page", view) == "<a>Skip to &quot;content&quot; &amp; more</a><b>T</b>");
  CHECK(vi->RenderPage("page", view) == "<a>Chuyển đến nội dung</a><b>T</b>");
}

TEST_CASE("template syntax errors and a missing layout are reported per file") {
  MemoryFileSystem fs;
  fs.Add("templates/page.mustache", "{{#open}}never closed");
  Diagnostics d;
  CHECK_FALSE(TemplateSet::Load(fs, "templates", &d).ok());
  std::string text = d.ToString();
  CHECK(text.find("templates/page.mustache: template error:") != std::string::npos);
  CHECK(text.find("templates: missing baseof.mustache (the layout)") != std::string::npos);
}
