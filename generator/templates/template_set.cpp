#include "templates/template_set.h"

#include <atomic>
#include <kainjow/mustache.hpp>

#include "core/text.h"

namespace clemency {
namespace mustache = kainjow::mustache;

namespace {

mustache::data ToData(const View& view) {
  switch (view.kind()) {
    case View::Kind::kText:
      return mustache::data(view.text());
    case View::Kind::kBool:
      return mustache::data(view.flag());
    case View::Kind::kList: {
      mustache::list items;
      items.reserve(view.list().size());
      for (const auto& item : view.list()) items.push_back(ToData(item));
      return mustache::data(items);
    }
    case View::Kind::kMap: {
      // Filled in place: kainjow's set() would copy each finished subtree once more.
      mustache::data object(mustache::data::type::object);
      for (const auto& [key, value] : view.map()) object[key] = ToData(value);
      return object;
    }
  }
  return mustache::data(false);
}

std::string Stem(const std::string& file) {
  return file.substr(0, file.size() - std::string(".mustache").size());
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::atomic<uint64_t> g_next_set_id{1};

// A compiled template per thread: kainjow's renderer keeps state while rendering. Keyed by the
// set's id, never its address, so a new set never meets an old set's compiled templates.
mustache::mustache& Compiled(uint64_t set_id, const std::map<std::string, std::string>& sources,
                             const std::string& name) {
  thread_local std::map<uint64_t, std::map<std::string, std::unique_ptr<mustache::mustache>>> cache;
  if (!cache.count(set_id) && cache.size() >= 32) cache.clear();  // sets of earlier builds
  auto& per_set = cache[set_id];
  auto it = per_set.find(name);
  if (it == per_set.end()) {
    it = per_set.emplace(name, std::make_unique<mustache::mustache>(sources.at(name))).first;
  }
  return *it->second;
}

}  // namespace

TemplateSet::TemplateSet() : id_(g_next_set_id++) {}
TemplateSet::~TemplateSet() = default;

Result<std::shared_ptr<const TemplateSet>> TemplateSet::Load(const FileSystem& fs,
                                                             const std::string& dir,
                                                             Diagnostics* diagnostics) {
  auto set = std::make_shared<TemplateSet>();
  size_t errors_before = diagnostics->size();
  for (const auto& relative : fs.ListFiles(dir)) {
    if (!EndsWith(relative, ".mustache")) continue;
    std::string path = JoinPath(dir, relative);
    auto text = fs.ReadFile(path);
    if (!text.ok()) {
      diagnostics->Add(path, 0, "", PlainProblem("cannot read template"));
      continue;
    }
    mustache::mustache compiled(*text);
    if (!compiled.is_valid()) {
      diagnostics->Add(path, 0, "", PlainProblem("template error: " + compiled.error_message()));
      continue;
    }
    if (relative.rfind("partials/", 0) == 0) {
      set->partials_[Stem(relative.substr(9))] = *text;
    } else if (relative.find('/') == std::string::npos) {
      set->sources_[Stem(relative)] = *text;
    }
  }
  if (!set->Has("baseof"))
    diagnostics->Add(dir, 0, "", PlainProblem("missing baseof.mustache (the layout)"));
  // Partials are spliced into the templates once here (a few rounds, for partials that use
  // partials), so renders need no partial lookups at all. A partial that includes itself stops.
  for (auto& [name, text] : set->sources_) {
    for (int round = 0; round < 8; ++round) {
      bool spliced = false;
      for (const auto& [partial, partial_text] : set->partials_) {
        for (const std::string& tag : {"{{> " + partial + "}}", "{{>" + partial + "}}"}) {
          for (size_t at; (at = text.find(tag)) != std::string::npos; spliced = true) {
            text.replace(at, tag.size(), partial_text);
          }
        }
      }
      if (!spliced) break;
    }
  }
  if (diagnostics->size() != errors_before) return Status::Error("invalid templates");
  return std::shared_ptr<const TemplateSet>(set);
}

std::shared_ptr<const TemplateSet> TemplateSet::WithStrings(
    const std::map<std::string, std::string>& strings) const {
  auto copy = std::make_shared<TemplateSet>(*this);
  copy->id_ = g_next_set_id++;
  for (auto& [name, text] : copy->sources_) {
    std::string out;
    out.reserve(text.size());
    size_t at = 0;
    for (size_t open; (open = text.find("{{t.", at)) != std::string::npos;) {
      size_t close = text.find("}}", open);
      auto value = close == std::string::npos
                       ? strings.end()
                       : strings.find(text.substr(open + 4, close - open - 4));
      if (value == strings.end()) {  // unknown keys stay as tags (and render empty)
        out.append(text, at, open + 4 - at);
        at = open + 4;
        continue;
      }
      out.append(text, at, open - at);
      out += EscapeHtml(value->second);
      at = close + 2;
    }
    out.append(text, at, std::string::npos);
    text = std::move(out);
  }
  return copy;
}

bool TemplateSet::Has(const std::string& name) const { return sources_.count(name) > 0; }

std::string TemplateSet::Render(const std::string& name, const View& view) const {
  mustache::data data = ToData(view);
  std::string out;
  Compiled(id_, sources_, name).render(data, [&out](const std::string& piece) { out += piece; });
  return out;
}

std::string TemplateSet::RenderPage(const std::string& name, const View& view) const {
  mustache::data data = ToData(view);
  std::string content;
  Compiled(id_, sources_, name).render(data, [&content](const std::string& piece) {
    content += piece;
  });
  data.set("content", content);
  std::string out;
  out.reserve(content.size() + 4096);
  Compiled(id_, sources_, "baseof").render(data, [&out](const std::string& piece) {
    out += piece;
  });
  return out;
}

}  // namespace clemency
