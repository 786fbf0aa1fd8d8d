#include "editor_api/json_reader.h"

#include <cmath>
#include <cstdlib>

namespace clemency {

const JsonValue* JsonValue::Find(const std::string& key) const {
  if (kind_ != Kind::kObject) return nullptr;
  auto it = members_.find(key);
  return it == members_.end() ? nullptr : &it->second;
}

std::optional<std::string> JsonValue::StringField(const std::string& key, bool* wrong_type) const {
  const JsonValue* value = Find(key);
  if (!value || value->kind_ == Kind::kNull) return std::nullopt;
  if (value->kind_ != Kind::kString) {
    *wrong_type = true;
    return std::nullopt;
  }
  return value->text_;
}

std::optional<bool> JsonValue::BoolField(const std::string& key, bool* wrong_type) const {
  const JsonValue* value = Find(key);
  if (!value || value->kind_ == Kind::kNull) return std::nullopt;
  if (value->kind_ != Kind::kBool) {
    *wrong_type = true;
    return std::nullopt;
  }
  return value->flag_;
}

std::optional<int64_t> JsonValue::IntField(const std::string& key, bool* wrong_type) const {
  const JsonValue* value = Find(key);
  if (!value || value->kind_ == Kind::kNull) return std::nullopt;
  if (value->kind_ != Kind::kNumber || value->number_ != std::floor(value->number_) ||
      std::fabs(value->number_) > 9007199254740992.0) {
    *wrong_type = true;
    return std::nullopt;
  }
  return static_cast<int64_t>(value->number_);
}

// Recursive descent over the text; every error stops the parse with its byte offset.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}
  std::optional<JsonValue> Document(std::string* error) {
    JsonValue value;
    SkipSpace();
    bool ok = Value(&value, 0);
    if (ok) {
      SkipSpace();
      if (at_ != text_.size()) ok = Fail("unexpected text after the JSON value");
    }
    if (!ok) {
      *error = error_ + " at byte " + std::to_string(at_);
      return std::nullopt;
    }
    return value;
  }

 private:
  static constexpr int kMaxDepth = 32;

  bool Fail(const char* message) {
    if (error_.empty()) error_ = message;
    return false;
  }
  void SkipSpace() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' ||
                                  text_[at_] == '\r')) {
      ++at_;
    }
  }
  bool Literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return Fail("invalid literal");
    at_ += word.size();
    return true;
  }

  bool Value(JsonValue* out, int depth) {
    if (depth > kMaxDepth) return Fail("nested too deeply");
    if (at_ >= text_.size()) return Fail("unexpected end of the JSON text");
    char c = text_[at_];
    if (c == '{') return Object(out, depth);
    if (c == '[') return Array(out, depth);
    if (c == '"') {
      out->kind_ = JsonValue::Kind::kString;
      return String(&out->text_);
    }
    if (c == 't' || c == 'f') {
      out->kind_ = JsonValue::Kind::kBool;
      out->flag_ = c == 't';
      return Literal(c == 't' ? "true" : "false");
    }
    if (c == 'n') return Literal("null");
    if (c == '-' || (c >= '0' && c <= '9')) return Number(out);
    return Fail("unexpected character");
  }

  bool Object(JsonValue* out, int depth) {
    out->kind_ = JsonValue::Kind::kObject;
    ++at_;
    SkipSpace();
    if (at_ < text_.size() && text_[at_] == '}') return ++at_, true;
    for (;;) {
      SkipSpace();
      std::string key;
      if (at_ >= text_.size() || text_[at_] != '"') return Fail("expected a member name");
      if (!String(&key)) return false;
      if (out->members_.count(key)) return Fail("repeated member name");
      SkipSpace();
      if (at_ >= text_.size() || text_[at_] != ':') return Fail("expected ':'");
      ++at_;
      SkipSpace();
      if (!Value(&out->members_[key], depth + 1)) return false;
      SkipSpace();
      if (at_ < text_.size() && text_[at_] == ',') {
        ++at_;
        continue;
      }
      if (at_ < text_.size() && text_[at_] == '}') return ++at_, true;
      return Fail("expected ',' or '}'");
    }
  }

  bool Array(JsonValue* out, int depth) {
    out->kind_ = JsonValue::Kind::kArray;
    ++at_;
    SkipSpace();
    if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
    for (;;) {
      SkipSpace();
      out->items_.emplace_back();
      if (!Value(&out->items_.back(), depth + 1)) return false;
      SkipSpace();
      if (at_ < text_.size() && text_[at_] == ',') {
        ++at_;
        continue;
      }
      if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
      return Fail("expected ',' or ']'");
    }
  }

  bool Number(JsonValue* out) {
    size_t start = at_;
    auto digits = [this]() {
      size_t from = at_;
      while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
      return at_ - from;
    };
    if (text_[at_] == '-') ++at_;
    if (at_ < text_.size() && text_[at_] == '0') {
      ++at_;
    } else if (digits() == 0) {
      return Fail("invalid number");
    }
    if (at_ < text_.size() && text_[at_] == '.') {
      ++at_;
      if (digits() == 0) return Fail("invalid number");
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      ++at_;
      if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) ++at_;
      if (digits() == 0) return Fail("invalid number");
    }
    out->kind_ = JsonValue::Kind::kNumber;
    out->number_ = std::strtod(std::string(text_.substr(start, at_ - start)).c_str(), nullptr);
    return true;
  }

  // Four hex digits after "\u".
  bool Hex4(uint32_t* code) {
    if (at_ + 4 > text_.size()) return Fail("invalid \\u escape");
    *code = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[at_++];
      int v = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (v < 0) return Fail("invalid \\u escape");
      *code = *code * 16 + static_cast<uint32_t>(v);
    }
    return true;
  }

  static void AppendUtf8(uint32_t code, std::string* out) {
    if (code < 0x80) {
      *out += static_cast<char>(code);
    } else if (code < 0x800) {
      *out += static_cast<char>(0xC0 | (code >> 6));
      *out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      *out += static_cast<char>(0xE0 | (code >> 12));
      *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (code >> 18));
      *out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  bool Escape(std::string* out) {
    if (at_ >= text_.size()) return Fail("unterminated string");
    char c = text_[at_++];
    static const std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
    if (size_t i = kFrom.find(c); i != std::string_view::npos) {
      *out += kTo[i];
      return true;
    }
    if (c != 'u') return Fail("invalid escape");
    uint32_t code;
    if (!Hex4(&code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return Fail("lone low surrogate");
    if (code >= 0xD800 && code <= 0xDBFF) {
      uint32_t low;
      if (text_.substr(at_, 2) != "\\u") return Fail("lone high surrogate");
      at_ += 2;
      if (!Hex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return Fail("lone high surrogate");
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code, out);
    return true;
  }

  // One UTF-8 sequence copied as it is; overlong forms, surrogates and stray bytes are refused.
  bool Utf8(std::string* out) {
    unsigned char c = static_cast<unsigned char>(text_[at_]);
    int extra = c >= 0xF5 ? -1 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
    if (extra < 0 || at_ + extra >= text_.size()) return Fail("invalid UTF-8");
    uint32_t code = c & (0x3F >> extra);
    for (int i = 1; i <= extra; ++i) {
      unsigned char next = static_cast<unsigned char>(text_[at_ + i]);
      if ((next & 0xC0) != 0x80) return Fail("invalid UTF-8");
      code = (code << 6) | (next & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMin[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return Fail("invalid UTF-8");
    }
    out->append(text_.substr(at_, extra + 1));
    at_ += extra + 1;
    return true;
  }

  bool String(std::string* out) {
    ++at_;  // the opening quote
    for (;;) {
      if (at_ >= text_.size()) return Fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(text_[at_]);
      if (c == '"') return ++at_, true;
      if (c < 0x20) return Fail("control character in a string");
      if (c == '\\') {
        ++at_;
        if (!Escape(out)) return false;
      } else if (c < 0x80) {
        *out += static_cast<char>(c);
        ++at_;
      } else if (!Utf8(out)) {
        return false;
      }
    }
  }

  std::string_view text_;
  size_t at_ = 0;
  std::string error_;
};

std::optional<JsonValue> ParseJson(std::string_view text, std::string* error) {
  return JsonParser(text).Document(error);
}

}  // namespace clemency
