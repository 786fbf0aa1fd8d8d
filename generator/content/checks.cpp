#include "content/checks.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "config/yaml_fields.h"
#include "i18n/text.h"

namespace clemency {
namespace {

constexpr size_t kMinWordsToScore = 30;

int LineAt(const std::string& text, size_t at) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// Where a long sentence starts in the file: the first of its first words that the source holds
// in the same order (Markdown marks between them are skipped), else the body's first line.
int LineOfSentence(const Page& page, const std::string& sentence, const std::string& locale) {
  std::vector<std::string> words = SplitWords(sentence, locale);
  const std::string& source = page.source_text;
  for (size_t take = std::min<size_t>(words.size(), 4); take > 0; --take) {
    for (size_t at = source.find(words[0], page.body_offset); at != std::string::npos;
         at = source.find(words[0], at + 1)) {
      size_t pos = at + words[0].size();
      bool all = true;
      for (size_t w = 1; w < take && all; ++w) {
        size_t next = source.find(words[w], pos);
        all = next != std::string::npos && next - pos <= 8;  // spaces, *, [, ] between words
        if (all) pos = next + words[w].size();
      }
      if (all) return LineAt(source, at);
    }
  }
  return page.body_first_line;
}

}  // namespace

bool WrittenWithSpaces(const std::string& lang) {
  return lang != "km" && lang != "th" && lang != "lo";
}

std::vector<int> TermLines(const std::string& lower, const std::string& term, bool whole_words,
                           const std::vector<std::string>& shields) {
  std::vector<std::pair<size_t, size_t>> shielded;  // [start, end) of each shield occurrence
  for (const auto& shield : shields) {
    if (shield.find(term) == std::string::npos) continue;  // cannot hold a match of the term
    for (size_t at : FindTerm(lower, shield, whole_words)) {
      shielded.emplace_back(at, at + shield.size());
    }
  }
  std::vector<int> lines;
  for (size_t at : FindTerm(lower, term, whole_words)) {
    bool inside = std::any_of(shielded.begin(), shielded.end(), [&](const auto& range) {
      return at >= range.first && at + term.size() <= range.second;
    });
    if (inside) continue;
    int line = LineAt(lower, at);
    if (lines.empty() || lines.back() != line) lines.push_back(line);
  }
  return lines;
}

std::string ShownTextLower(const Page& page, const std::string& locale) {
  std::string shown = page.source_text;
  // Front matter lines: keep a shown field's line and its continuation lines, blank the rest.
  bool keep = false;
  for (size_t pos = 0; pos < page.body_offset && pos < shown.size();) {
    size_t eol = shown.find('\n', pos);
    if (eol == std::string::npos || eol > page.body_offset) eol = page.body_offset;
    std::string_view line(shown.data() + pos, eol - pos);
    bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (!continuation) {
      keep = line.rfind("title:", 0) == 0 || line.rfind("summary:", 0) == 0 ||
             line.rfind("change_note:", 0) == 0;
    }
    // A legal source's article ("Điều 45–46") is shown in the site's own words too.
    size_t indent = line.find_first_not_of(" \t-");
    bool article = continuation && indent != std::string_view::npos &&
                   line.substr(indent).rfind("article:", 0) == 0;
    if (!keep && !article) std::fill(shown.begin() + pos, shown.begin() + eol, ' ');
    pos = eol + 1;
  }
  return ToLower(shown, locale);
}

namespace {

// `text` with only what readers see in `lang` kept: with `every_value`, the value of each
// `key: value` line; else the value of each `<lang>: value` line outside an `anchor:` map.
std::string ShownStrings(const std::string& text, const std::string& lang, bool every_value) {
  std::string out;
  size_t skip_indent = std::string::npos;  // inside `anchor:` (heading ids, not shown)
  for (size_t pos = 0; pos <= text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const size_t indent = line.find_first_not_of(" -");
    std::string value;
    if (indent != std::string::npos && line[indent] != '#') {
      if (skip_indent != std::string::npos && indent <= skip_indent) skip_indent = std::string::npos;
      const std::string rest = line.substr(indent);
      if (rest == "anchor:") skip_indent = indent;
      const size_t colon = rest.find(": ");
      const bool shown = every_value ? colon != std::string::npos
                                     : rest.rfind(lang + ": ", 0) == 0;
      if (shown && skip_indent == std::string::npos) value = rest.substr(colon + 2);
    }
    // ICU MessageFormat's exact-number selectors ("=0 {…}") are syntax, not text readers see.
    for (size_t eq = value.find('='); every_value && eq != std::string::npos;
         eq = value.find('=', eq + 1)) {
      for (size_t i = eq; i < value.size() && (i == eq || std::isdigit(value[i])); ++i) value[i] = ' ';
    }
    out += value;
    if (eol < text.size()) out += '\n';
  }
  return out;
}

Page StringPage(const std::string& path, const std::string& lang, std::string shown) {
  Page page;
  page.lang = lang;
  page.source_path = path;
  page.source_text = std::move(shown);
  return page;
}

}  // namespace

std::vector<Page> SiteStringPages(const FileSystem& fs, const std::string& source_dir,
                                  const SiteConfig& config) {
  std::vector<Page> out;
  const std::string selfcheck = JoinPath(source_dir, "site/selfcheck");
  for (const auto& file : fs.IsDirectory(selfcheck) ? fs.ListFiles(selfcheck)
                                                    : std::vector<std::string>{}) {
    auto text = fs.ReadFile(JoinPath(selfcheck, file));
    if (!text.ok() || file.size() < 5 || file.substr(file.size() - 5) != ".yaml") continue;
    for (const auto& language : config.languages) {
      out.push_back(StringPage("site/selfcheck/" + file, language.code,
                               ShownStrings(*text, language.code, false)));
    }
  }
  for (const auto& language : config.languages) {
    const std::string file = "site/i18n/" + language.code + ".yaml";
    auto text = fs.ReadFile(JoinPath(source_dir, file));
    if (text.ok()) out.push_back(StringPage(file, language.code, ShownStrings(*text, "", true)));
  }
  return out;
}

namespace {

// A slug's words with spaces ("nguoi-lam-lo" -> "nguoi lam lo"), so TermLines matches whole words.
std::string SlugWords(std::string slug) {
  std::replace(slug.begin(), slug.end(), '-', ' ');
  return slug;
}

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
      diagnostics->Add(path, root.line, "", PlainProblem("must be a list of {term, use}"));
      continue;
    }
    FieldReader read(path, diagnostics);
    auto& list = rules[language.code];
    for (size_t i = 0; i < root.items.size(); ++i) {
      const YamlNode& item = root.items[i];
      std::string prefix = "[" + std::to_string(i) + "].";
      if (!item.IsMap()) {
        read.Error(item.line, prefix, PlainProblem("must be a mapping with term and use"));
        continue;
      }
      read.RejectUnknown(item, {"term", "use", "except"}, prefix);
      auto term = read.Text(item, "term", true, prefix);
      auto use = read.Text(item, "use", true, prefix);
      auto except = read.TextList(item, "except", false, prefix);
      if (!term || !use) continue;
      WordingRule rule;
      rule.term = ToLower(ToNfc(*term), language.locale);
      rule.use = *use;
      for (const auto& phrase : except.value_or(std::vector<std::string>{})) {
        rule.except.push_back(ToLower(ToNfc(phrase), language.locale));
        if (rule.except.back().find(rule.term) == std::string::npos) {
          read.Error(item.line, prefix + "except",
                     PlainProblem("'" + phrase + "' does not contain the term '" + *term + "'"));
        }
      }
      rule.slug_words = SlugWords(Slugify(rule.term));
      for (const auto& phrase : rule.except) rule.slug_except.push_back(SlugWords(Slugify(phrase)));
      list.push_back(std::move(rule));
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
    for (int line : TermLines(lower, rule.term, whole_words, rule.except)) {
      diagnostics->Add(page.source_path, line, "wording",
                       {Diag::check_wording, {{"term", rule.term}, {"use", rule.use}}});
    }
  }
}

void CheckSlugWording(const Page& page, const std::vector<WordingRule>& rules,
                      Diagnostics* diagnostics) {
  if (page.slug.empty()) return;
  const std::string slug = SlugWords(page.slug);
  for (const auto& rule : rules) {
    if (rule.slug_words.empty() || TermLines(slug, rule.slug_words, true, rule.slug_except).empty())
      continue;
    diagnostics->Add(
        page.source_path, 0, "slug",
        {Diag::check_slug_wording, {{"slug", page.slug}, {"term", rule.term}, {"use", rule.use}}});
  }
}

void WarnRawHtml(const Page& page, Diagnostics* diagnostics) {
  const std::string_view body = page.body_markdown();
  bool fenced = false;
  int line = page.body_first_line;
  for (size_t pos = 0; pos < body.size(); ++line) {
    size_t eol = body.find('\n', pos);
    std::string_view text = body.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    pos = eol == std::string_view::npos ? body.size() : eol + 1;
    std::string_view trimmed = text.substr(std::min(text.find_first_not_of(' '), text.size()));
    if (trimmed.rfind("```", 0) == 0 || trimmed.rfind("~~~", 0) == 0) fenced = !fenced;
    if (fenced) continue;
    bool in_code = false;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] == '`') in_code = !in_code;
      if (in_code || text[i] != '<') continue;
      char next = text[i + 1];
      bool tag = std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!';
      std::string_view rest = text.substr(i + 1);
      bool autolink = rest.rfind("http", 0) == 0 || rest.rfind("mailto:", 0) == 0;
      if (!tag || autolink) continue;
      size_t close = text.find('>', i);
      std::string shown(text.substr(i, close == std::string_view::npos ? 12 : close - i + 1));
      diagnostics->Warn(page.source_path, line, "body", {Diag::check_raw_html, {{"tag", shown}}});
      break;  // one warning per line
    }
  }
}

void CheckSentenceLength(const Page& page, const std::string& plain_text,
                         const std::string& locale, const ReadabilityConfig& config,
                         Diagnostics* diagnostics) {
  double limit = page.lang == "en"   ? config.en_max_words_in_sentence
                 : page.lang == "vi" ? config.vi_max_syllables_in_sentence
                 : page.lang == "km" ? config.km_max_words_in_sentence
                                     : 0;
  if (limit <= 0 || page.draft) return;
  const char* unit = page.lang == "vi" ? "syllables" : "words";
  for (const auto& sentence : WordsPerSentence(plain_text, locale)) {
    if (static_cast<double>(sentence.words) <= limit) continue;
    std::string start = TruncateAtWord(sentence.text, 60, locale);
    size_t first = start.find_first_not_of(" \n");
    diagnostics->Add(page.source_path, LineOfSentence(page, sentence.text, locale), "readability",
                     {Diag::check_sentence,
                      {{"count", std::to_string(sentence.words)},
                       {"unit", unit},
                       {"limit", std::to_string(static_cast<int>(limit))},
                       {"start", first == std::string::npos ? start : start.substr(first)}}});
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

Problem ReadabilityScore::AsProblem() const {
  char value_text[32], limit_text[32];
  std::snprintf(value_text, sizeof value_text, "%.1f", value);
  std::snprintf(limit_text, sizeof limit_text, "%.0f", threshold);
  if (metric == "flesch") {
    return {Diag::check_readability_flesch, {{"value", value_text}, {"limit", limit_text}}};
  }
  const char* unit = metric == "syllables_per_sentence" ? "syllables" : "words";
  return {Diag::check_readability, {{"value", value_text}, {"unit", unit}, {"limit", limit_text}}};
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
