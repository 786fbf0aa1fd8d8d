#include "i18n/provinces.h"

#include <algorithm>

#include "i18n/text.h"

namespace clemency {
namespace {

std::string Fold(const std::string& text) { return Slugify(ToNfc(text)); }

// The number of single-character edits between `a` and `b` (for suggestions).
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

ProvinceIndex::ProvinceIndex(const std::vector<Province>& listed,
                             const std::vector<std::pair<std::string, std::string>>& places) {
  for (const Province& province : listed) {
    listed_[province.code] = &province;
    Add(province.code, province.code);
    for (const auto& [lang, name] : province.names) Add(province.code, name);
    for (const std::string& name : province.former) {
      Add(province.code, name);
      former_[Fold(name)] = true;
    }
  }
  for (const auto& [named, current] : places) {
    const std::string& shown = current.empty() ? named : current;
    const std::string* known = Find(shown);
    const std::string code = known ? *known : Fold(shown);
    if (code.empty()) continue;
    // The first pairing wins: a name already known keeps its code.
    Add(code, code);
    for (const std::string* name : {&named, &current}) {
      if (!name->empty()) Add(code, *name);
    }
  }
}

void ProvinceIndex::Add(const std::string& code, const std::string& name) {
  code_of_.try_emplace(Fold(name), code);
  auto& names = names_[code];
  if (name != code && std::find(names.begin(), names.end(), name) == names.end()) {
    names.push_back(name);
  }
}

const std::string* ProvinceIndex::Find(const std::string& text) const {
  auto it = code_of_.find(Fold(text));
  return it == code_of_.end() ? nullptr : &it->second;
}

const Province* ProvinceIndex::Listed(const std::string& code) const {
  auto it = listed_.find(code);
  return it == listed_.end() ? nullptr : it->second;
}

bool ProvinceIndex::IsFormer(const std::string& text) const { return former_.count(Fold(text)) > 0; }

const std::vector<std::string>& ProvinceIndex::NamesOf(const std::string& code) const {
  return names_.at(code);
}

std::vector<std::string> ProvinceIndex::Closest(const std::string& text) const {
  const std::string folded = Fold(text);
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const auto& [name, code] : code_of_) ranked.emplace_back(EditDistance(folded, name), code);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> close;
  for (const auto& [distance, code] : ranked) {
    if (distance <= std::max<size_t>(2, folded.size() / 3) &&
        std::find(close.begin(), close.end(), code) == close.end())
      close.push_back(code);
  }
  return close;
}

std::vector<std::string> ProvinceIndex::Codes() const {
  std::vector<std::string> codes;
  for (const auto& [code, names] : names_) codes.push_back(code);
  return codes;
}

}  // namespace clemency
