#pragma once
// Finding a province by what a person or partner types: its code or any of its names (current or
// former, in any language), with or without diacritics, in any case, NFC or NFD.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/provinces.h"

namespace clemency {

class ProvinceIndex {
 public:
  // The listed provinces; then each (named, current) pair of `places` the list does not know,
  // under the slug of its current name (how a site without a list still gets codes).
  explicit ProvinceIndex(const std::vector<Province>& listed,
                         const std::vector<std::pair<std::string, std::string>>& places = {});

  // Returns the code `text` stands for, or null.
  const std::string* Find(const std::string& text) const;
  // Returns the listed province with `code`, or null.
  const Province* Listed(const std::string& code) const;
  // Returns true when `text` names a listed province merged into another ("Long An").
  bool IsFormer(const std::string& text) const;
  // Returns every name known for `code` (list names, former names, names entries use).
  // REQUIRES: `code` was returned by Find.
  const std::vector<std::string>& NamesOf(const std::string& code) const;
  // Returns the codes whose names are a few edits from `text`, closest first.
  std::vector<std::string> Closest(const std::string& text) const;
  // Returns every code, in alphabetical order.
  std::vector<std::string> Codes() const;

 private:
  void Add(const std::string& code, const std::string& name);
  std::map<std::string, std::string> code_of_;  // folded code or name -> code
  std::map<std::string, std::vector<std::string>> names_;
  std::map<std::string, const Province*> listed_;
  std::map<std::string, bool> former_;  // folded name -> merged into another
};

}  // namespace clemency
