#include "content/page.h"

#include <utility>

#include "core/site_paths.h"

namespace clemency {

std::string Page::TranslationKey() const {
  if (section.empty()) return "";
  return slug.empty() ? section : section + "/" + slug;
}

std::string Page::PathIn(const std::string& language) const {
  return paths::Page(language, section, slug);
}

const std::vector<std::string>& RoundStatuses() {
  static const std::vector<std::string> kStatuses = {"announced", "reviewing", "released",
                                                     "closed"};
  return kStatuses;
}

bool LessCurrentRound(const Page& a, const Page& b) {
  auto rank = [](const Page& p) {
    return std::make_pair(p.round->status != "closed", p.round->decision_date.value_or(p.date));
  };
  return rank(a) < rank(b);
}

std::string SupportInfo::PhoneE164() const {
  std::string digits;
  for (char c : contact.phone) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.empty()) return "";
  const bool international = contact.phone.find_first_not_of(" ") != std::string::npos &&
                             contact.phone[contact.phone.find_first_not_of(" ")] == '+';
  if (international) return "+" + digits;
  if (digits[0] == '0') return "+84" + digits.substr(1);
  return "+84" + digits;
}

bool ConsentCoversImage(const Consent* consent, const std::string& image_basis) {
  if (image_basis == "no-person") return true;
  if (!consent) return false;
  if (consent->personal()) return consent->images == "allowed";
  return consent->basis == "published-report" && image_basis == "published-report";
}

}  // namespace clemency
