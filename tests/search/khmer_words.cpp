#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <iostream>
#include <memory>
#include <string>
// Prints the ICU words (Khmer dictionary) of each stdin line, tab-separated.
int main() {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> b(icu::BreakIterator::createWordInstance(icu::Locale("km"), st));
  for (std::string line; std::getline(std::cin, line);) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(line);
    b->setText(u);
    int32_t s = b->first();
    std::string out;
    for (int32_t e = b->next(); e != icu::BreakIterator::DONE; s = e, e = b->next()) {
      if (b->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
      std::string w; u.tempSubString(s, e - s).toUTF8String(w);
      out += w + "\t";
    }
    std::cout << out << "\n";
  }
}
