#include "config/provinces.h"

#include <set>

#include "config/yaml_fields.h"

namespace clemency {

const std::string& Province::Name(const std::string& lang, const std::string& fallback_lang) const {
  for (const std::string* key : {&lang, &fallback_lang}) {
    auto it = names.find(*key);
    if (it != names.end()) return it->second;
  }
  return code;
}

namespace {

// Reads one entry ({code, <lang>: name…, former}) at `field` ("provinces[3]").
Province ReadProvince(FieldReader& read, const YamlNode& node, const std::string& field,
                      const std::vector<std::string>& languages, const std::string& default_language) {
  Province province;
  const std::string prefix = field + ".";
  std::vector<std::string> allowed = languages;
  allowed.insert(allowed.end(), {"code", "former"});
  read.RejectUnknown(node, allowed, prefix);
  province.code = read.Text(node, "code", true, prefix).value_or("");
  if (province.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    read.Error(node.Find("code")->line, prefix + "code",
               PlainProblem("'" + province.code + "' must be lowercase letters, digits and hyphens"));
  }
  for (const std::string& lang : languages) {
    auto name = read.Text(node, lang, lang == default_language, prefix);
    if (name) province.names[lang] = *name;
  }
  province.former = read.TextList(node, "former", false, prefix).value_or(std::vector<std::string>{});
  return province;
}

}  // namespace

std::vector<Province> LoadProvinces(const FileSystem& fs, const std::string& path,
                                    const std::vector<std::string>& languages,
                                    const std::string& default_language, Diagnostics* diagnostics) {
  std::vector<Province> out;
  if (!fs.IsFile(path)) return out;
  YamlNode root;
  if (!ReadYamlFile(fs, path, "cannot read the province list", &root, diagnostics)) return out;
  FieldReader read(path, diagnostics);
  if (!root.IsMap()) {
    read.Error(root.line, "", PlainProblem("must be a mapping with `provinces` and `nationwide`"));
    return out;
  }
  read.RejectUnknown(root, {"provinces", "nationwide"});
  std::set<std::string> codes;
  auto add = [&](const YamlNode& node, const std::string& field, bool nationwide) {
    if (!node.IsMap()) {
      read.Error(node.line, field, PlainProblem("must be a mapping (code, names, former)"));
      return;
    }
    Province province = ReadProvince(read, node, field, languages, default_language);
    province.nationwide = nationwide;
    if (!codes.insert(province.code).second) {
      read.Error(node.line, field + ".code", PlainProblem("'" + province.code + "' is used twice"));
    }
    out.push_back(std::move(province));
  };
  if (const YamlNode* list = read.List(root, "provinces", true)) {
    for (size_t i = 0; i < list->items.size(); ++i) {
      add(list->items[i], "provinces[" + std::to_string(i) + "]", false);
    }
  }
  if (const YamlNode* node = read.Map(root, "nationwide", false)) add(*node, "nationwide", true);
  return out;
}

}  // namespace clemency
