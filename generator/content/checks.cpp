#include "content/checks.h"

#include <algorithm>
#include <cstdio>

#include "config/yaml_fields.h"
#include "i18n/text.h"

namespace clemency {
namespace {

// Scripts written without spaces between words cannot use whole-word matching.
bool WrittenWithSpaces(const std::string& lang) {
  return lang != "km" && lang != "th" && lang != "lo";
}

constexpr size_t kMinWordsToScore = 30;

}  // namespace

WordingRules LoadWordingRules(const FileSystem& fs, const std::string& dir,
                              const SiteConfig& config, Diagnostics* diagnostics) {
  WordingRules rules;
  for (const auto& language : config.languages) {
    std::string path = JoinPath(dir, language.code + ".yaml");
    YamlNode root;
    if (!ReadYamlFile(fs, path, "missing person-first wording list for '" + language.code + "'",
                      &root, diagnostics)) {
      continue;
    }
    if (!root.IsSequence()) {
      diagnostics->Add(path, root.line, "", "must be a list of {term, use}");
      continue;
    }
    FieldReader read(path, diagnostics);
    auto& list = rules[language.code];
    for (size_t i = 0; i < root.items.size(); ++i) {
      const YamlNode& item = root.items[i];
      std::string prefix = "[" + std::to_string(i) + "].";
      if (!item.IsMap()) {
        read.Error(item.line, prefix, "must be a mapping with term and use");
        continue;
      }
      read.RejectUnknown(item, {"term", "use"}, prefix);
      auto term = read.Text(item, "term", true, prefix);
      auto use = read.Text(item, "use", true, prefix);
      if (term && use) list.push_back({ToLower(ToNfc(*term), language.locale), *use});
    }
  }
  return rules;
}

void CheckWording(const Page& page, const std::vector<WordingRule>& rules,
                  const std::string& locale, Diagnostics* diagnostics) {
  if (rules.empty()) return;
  const bool whole_words = WrittenWithSpaces(page.lang);
  // One lowercase copy of the whole file (line breaks survive lowercasing), then each term once.
  const std::string lower = ToLower(page.source_text, locale);
  for (const auto& rule : rules) {
    int last_line = 0;
    for (size_t at : FindTerm(lower, rule.term, whole_words)) {
      int line = 1 + static_cast<int>(std::count(lower.begin(), lower.begin() + at, '\n'));
      if (line == last_line) continue;  // one report per line and term
      last_line = line;
      diagnostics->Add(
          page.source_path, line, "wording",
          "'" + rule.term + "' labels a person by their past; write '" + rule.use + "'");
    }
  }
}

int CountEnglishSyllables(const std::string& word) {
  std::string w;
  for (char c : word) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') w += c;
  }
  if (w.empty()) return 0;
  if (w.size() <= 3) return 1;
  auto vowel = [](char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
  };
  int count = 0;
  bool previous = false;
  for (char c : w) {
    bool v = vowel(c);
    if (v && !previous) ++count;
    previous = v;
  }
  // A final silent e ("make"), but not "-le" after a consonant ("table") or "-ee".
  size_t n = w.size();
  if (w[n - 1] == 'e' && !(n >= 3 && w[n - 2] == 'l' && !vowel(w[n - 3])) && !vowel(w[n - 2]))
    --count;
  // "-ed" is silent unless after t or d ("wanted").
  if (n >= 3 && w.compare(n - 2, 2, "ed") == 0 && w[n - 3] != 't' && w[n - 3] != 'd' &&
      !vowel(w[n - 3])) {
    --count;
  }
  return count < 1 ? 1 : count;
}

std::string ReadabilityScore::Describe() const {
  char buf[160];
  if (!scored) {
    std::snprintf(buf, sizeof buf, "not scored (%zu words)", words);
  } else if (metric == "flesch") {
    std::snprintf(buf, sizeof buf, "Flesch reading ease %.1f (at least %.0f)", value, threshold);
  } else if (metric == "syllables_per_sentence") {
    std::snprintf(buf, sizeof buf, "%.1f syllables per sentence (at most %.0f)", value, threshold);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f words per sentence (at most %.0f)", value, threshold);
  }
  return buf;
}

ReadabilityScore ScoreReadability(const std::string& plain_text, const std::string& lang,
                                  const std::string& locale, const ReadabilityConfig& config) {
  ReadabilityScore score;
  std::vector<std::string> words;
  TextCounts counts = CountSentencesAndWords(plain_text, locale, lang == "en" ? &words : nullptr);
  score.sentences = counts.sentences;
  score.words = counts.words;
  size_t syllables = 0;
  for (const auto& word : words) syllables += CountEnglishSyllables(word);
  if (lang == "en") {
    score.metric = "flesch";
    score.threshold = config.en_min_flesch;
    score.higher_is_better = true;
  } else if (lang == "vi") {
    score.metric = "syllables_per_sentence";
    score.threshold = config.vi_max_syllables_per_sentence;
  } else if (lang == "km") {
    score.metric = "words_per_sentence";
    score.threshold = config.km_max_words_per_sentence;
  } else {
    return score;
  }
  if (score.words < kMinWordsToScore || score.sentences == 0) return score;
  score.scored = true;
  double words_per_sentence =
      static_cast<double>(score.words) / static_cast<double>(score.sentences);
  if (lang == "en") {
    score.value = 206.835 - 1.015 * words_per_sentence -
                  84.6 * static_cast<double>(syllables) / static_cast<double>(score.words);
  } else {
    score.value = words_per_sentence;
  }
  return score;
}

}  // namespace clemency
