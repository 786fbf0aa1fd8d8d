#include "templates/template_set.h"

#include <kainjow/mustache.hpp>

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
      mustache::data list(mustache::data::type::list);
      for (const auto& item : view.list()) list.push_back(ToData(item));
      return list;
    }
    case View::Kind::kMap: {
      mustache::data object(mustache::data::type::object);
      for (const auto& [key, value] : view.map()) object.set(key, ToData(value));
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

// A compiled template per thread: kainjow's renderer keeps state while rendering.
mustache::mustache& Compiled(const std::map<std::string, std::string>& sources,
                             const std::string& name) {
  thread_local std::map<const void*, std::map<std::string, std::unique_ptr<mustache::mustache>>>
      cache;
  auto& per_set = cache[&sources];
  auto it = per_set.find(name);
  if (it == per_set.end()) {
    it = per_set.emplace(name, std::make_unique<mustache::mustache>(sources.at(name))).first;
  }
  return *it->second;
}

}  // namespace

TemplateSet::TemplateSet() = default;
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
      diagnostics->Add(path, 0, "", "cannot read template");
      continue;
    }
    mustache::mustache compiled(*text);
    if (!compiled.is_valid()) {
      diagnostics->Add(path, 0, "", "template error: " + compiled.error_message());
      continue;
    }
    if (relative.rfind("partials/", 0) == 0) {
      set->partials_[Stem(relative.substr(9))] = *text;
    } else if (relative.find('/') == std::string::npos) {
      set->sources_[Stem(relative)] = *text;
    }
  }
  if (!set->Has("baseof")) diagnostics->Add(dir, 0, "", "missing baseof.mustache (the layout)");
  // Partials are spliced into the templates once here, so no render parses them again.
  for (auto& [name, text] : set->sources_) {
    for (const auto& [partial, partial_text] : set->partials_) {
      for (const std::string& tag : {"{{> " + partial + "}}", "{{>" + partial + "}}"}) {
        for (size_t at; (at = text.find(tag)) != std::string::npos;)
          text.replace(at, tag.size(), partial_text);
      }
    }
  }
  if (diagnostics->size() != errors_before) return Status::Error("invalid templates");
  return std::shared_ptr<const TemplateSet>(set);
}

bool TemplateSet::Has(const std::string& name) const { return sources_.count(name) > 0; }

namespace {

mustache::data WithPartials(const View& view, const std::map<std::string, std::string>& partials) {
  mustache::data data = ToData(view);
  for (const auto& [partial_name, text] : partials) {
    const std::string* source = &text;
    data.set(partial_name, mustache::partial([source]() { return *source; }));
  }
  return data;
}

}  // namespace

std::string TemplateSet::Render(const std::string& name, const View& view) const {
  mustache::data data = WithPartials(view, partials_);
  std::string out;
  Compiled(sources_, name).render(data, [&out](const std::string& piece) { out += piece; });
  return out;
}

std::string TemplateSet::RenderPage(const std::string& name, const View& view) const {
  mustache::data data = WithPartials(view, partials_);
  std::string content;
  Compiled(sources_, name).render(data, [&content](const std::string& piece) { content += piece; });
  data.set("content", content);
  std::string out;
  out.reserve(content.size() + 4096);
  Compiled(sources_, "baseof").render(data, [&out](const std::string& piece) { out += piece; });
  return out;
}

}  // namespace clemency
