#pragma once
// A small strict JSON reader for the editor API's request bodies (RFC 8259: one value, no
// comments, no trailing commas, no duplicate keys, UTF-8 checked). The project has a writer only.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clemency {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind() const { return kind_; }
  bool IsObject() const { return kind_ == Kind::kObject; }
  // The member `key` of an object, or nullptr (also when this is not an object).
  const JsonValue* Find(const std::string& key) const;
  // The member `key` as text when it is a string; nullopt when absent; `*wrong_type` set when it
  // is present but not a string (a request that sends a number for a text is refused, not guessed).
  std::optional<std::string> StringField(const std::string& key, bool* wrong_type) const;
  std::optional<bool> BoolField(const std::string& key, bool* wrong_type) const;
  std::optional<int64_t> IntField(const std::string& key, bool* wrong_type) const;
  const std::string& text() const { return text_; }
  bool flag() const { return flag_; }
  double number() const { return number_; }
  const std::vector<JsonValue>& items() const { return items_; }
  const std::map<std::string, JsonValue>& members() const { return members_; }

 private:
  friend class JsonParser;
  Kind kind_ = Kind::kNull;
  bool flag_ = false;
  double number_ = 0;
  std::string text_;
  std::vector<JsonValue> items_;
  std::map<std::string, JsonValue> members_;
};

// Parses `text` as one JSON value nested at most 32 deep. On failure returns nullopt and sets
// `error` to what is wrong and at which byte.
std::optional<JsonValue> ParseJson(std::string_view text, std::string* error);

}  // namespace clemency
