#pragma once
// The read-only data handed to templates: a small tree of text, flags, lists and mappings.
// Build code fills it; the templates module turns it into Mustache data.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clemency {

class View {
 public:
  enum class Kind { kMap, kList, kText, kBool };
  View() : kind_(Kind::kMap) {}
  View(std::string text) : kind_(Kind::kText), text_(std::move(text)) {}  // NOLINT
  View(const char* text) : kind_(Kind::kText), text_(text) {}             // NOLINT
  View(bool flag) : kind_(Kind::kBool), flag_(flag) {}                    // NOLINT
  static View List() {
    View v;
    v.kind_ = Kind::kList;
    return v;
  }

  View& Set(const std::string& key, View value) {
    map_[key] = std::move(value);
    return *this;
  }
  View& Push(View value) {
    list_.push_back(std::move(value));
    return *this;
  }
  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }
  bool flag() const { return flag_; }
  const std::map<std::string, View>& map() const { return map_; }
  const std::vector<View>& list() const { return list_; }

 private:
  Kind kind_;
  std::string text_;
  bool flag_ = false;
  std::map<std::string, View> map_;
  std::vector<View> list_;
};

}  // namespace clemency
