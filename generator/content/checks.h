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
  // Lowercase phrases holding the term where it is right (an offence's name: "tội phạm về ma
  // túy"): a match inside one of them is not reported.
  std::vector<std::string> except;
  // The term and its except phrases as a file name writes them, words spaced ("nguoi lam lo"):
  // "" when the term has no ASCII form (Khmer). Slugs are matched against these.
  std::string slug_words;
  std::vector<std::string> slug_except;
};
using WordingRules = std::map<std::string, std::vector<WordingRule>>;  // by language

// Loads site/wording/<lang>.yaml for every language; each is a list of {term, use, except}.
WordingRules LoadWordingRules(const FileSystem& fs, const std::string& dir,
                              const SiteConfig& config, Diagnostics* diagnostics);

// Scripts written without spaces between words (Khmer) cannot use whole-word matching.
bool WrittenWithSpaces(const std::string& lang);

// The one way terms are looked for (wording list and termbase): the 1-based lines where `term`
// occurs in `lower` (a lowercased text), one per line, leaving out matches that lie inside an
// occurrence of any phrase of `shields` (which must be lowercase too).
std::vector<int> TermLines(const std::string& lower, const std::string& term, bool whole_words,
                           const std::vector<std::string>& shields);

// The page's file as readers see it, lowercased: the body and the front matter fields shown as
// text (title, summary, change_note, a legal source's article); other front matter lines are
// blanked (a report's quoted title or a date is not the site's own wording), so line numbers
// still match the file.
std::string ShownTextLower(const Page& page, const std::string& locale);

// The reader-facing strings of site/ YAML files as pages of one language each, so the wording
// list, the termbase and the numerals check them as they check content: each file's lines with
// every line readers do not see in that language blanked (line numbers still match).
// site/selfcheck/*.yaml gives a page per language (the values of its `<lang>:` lines, anchors
// left out); site/i18n/<lang>.yaml gives one page in its language (every value).
std::vector<Page> SiteStringPages(const FileSystem& fs, const std::string& source_dir,
                                  const SiteConfig& config);

// Reports each stigmatising term in the page's file (front matter and body) at its line.
void CheckWording(const Page& page, const std::vector<WordingRule>& rules,
                  const std::string& locale, Diagnostics* diagnostics);

// Reports each term of `rules` that the page's slug (its file name) holds, as slugs write it
// ("người lầm lỡ" as nguoi-lam-lo): an URL labels people as much as a sentence does.
void CheckSlugWording(const Page& page, const std::vector<WordingRule>& rules,
                      Diagnostics* diagnostics);

// Raw HTML in the body is not published (Markdown only): a warning names each line holding a
// tag, so the editor knows what readers will not get. Code spans and fenced code are skipped.
void WarnRawHtml(const Page& page, Diagnostics* diagnostics);

// Reports every sentence of `plain_text` longer than the language's single-sentence maximum
// (readability.<lang>_max_…_in_sentence; 0 turns it off), at the line of the page's file where
// the sentence starts.
void CheckSentenceLength(const Page& page, const std::string& plain_text,
                         const std::string& locale, const ReadabilityConfig& config,
                         Diagnostics* diagnostics);

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
  // Returns the problem of a scored text that does not pass (check_readability_flesch or
  // check_readability), with Describe()'s numbers.
  Problem AsProblem() const;
};

// Scores `plain_text` for the page's language: English by Flesch reading ease; Vietnamese by
// syllables per sentence (each written syllable is a word to ICU); Khmer by words per sentence
// from ICU's dictionary word breaks. Other languages are not scored.
ReadabilityScore ScoreReadability(const std::string& plain_text, const std::string& lang,
                                  const std::string& locale, const ReadabilityConfig& config);

// English syllables by vowel groups, with the usual silent-e and -le adjustments.
int CountEnglishSyllables(const std::string& word);

}  // namespace clemency
