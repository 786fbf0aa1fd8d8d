#pragma once
// Editorial checks on loaded pages: person-first wording and readability.
#include <map>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "content/page.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency {

struct WordingRule {
  std::string term;  // lowercase, NFC
  std::string use;   // the person-first wording to suggest
};
using WordingRules = std::map<std::string, std::vector<WordingRule>>;  // by language

// Loads site/wording/<lang>.yaml for every language; each is a list of {term, use}.
WordingRules LoadWordingRules(const FileSystem& fs, const std::string& dir,
                              const SiteConfig& config, Diagnostics* diagnostics);

// Reports each stigmatising term in the page's file (front matter and body) at its line.
void CheckWording(const Page& page, const std::vector<WordingRule>& rules,
                  const std::string& locale, Diagnostics* diagnostics);

struct ReadabilityScore {
  std::string metric;  // "flesch" | "syllables_per_sentence" | "words_per_sentence"
  double value = 0;
  double threshold = 0;
  bool higher_is_better = false;
  size_t sentences = 0, words = 0;
  bool scored = false;  // too little text to judge
  bool passes() const {
    return !scored || (higher_is_better ? value >= threshold : value <= threshold);
  }
  std::string Describe() const;  // "Flesch reading ease 72.4 (at least 60)"
};

// Scores `plain_text` for the page's language: English by Flesch reading ease; Vietnamese by
// syllables per sentence (each written syllable is a word to ICU); Khmer by words per sentence
// from ICU's dictionary word breaks. Other languages are not scored.
ReadabilityScore ScoreReadability(const std::string& plain_text, const std::string& lang,
                                  const std::string& locale, const ReadabilityConfig& config);

// English syllables by vowel groups, with the usual silent-e and -le adjustments.
int CountEnglishSyllables(const std::string& word);

}  // namespace clemency
