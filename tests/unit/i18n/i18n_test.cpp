#include <algorithm>
#include <catch2/catch.hpp>

#include "i18n/messages.h"
#include "i18n/text.h"

using namespace clemency;

TEST_CASE("slugs transliterate Vietnamese") {
  CHECK(Slugify("Điều kiện đặc xá") == "dieu-kien-dac-xa");
  CHECK(Slugify("  Bước 2: Viết đơn! ") == "buoc-2-viet-don");
  CHECK(Slugify("Người được đặc xá – 2025") == "nguoi-duoc-dac-xa-2025");
}

TEST_CASE("slugs: the fast Latin path gives what the ICU transliterator gives") {
  // Punctuation, quotes and dashes separate words either way; letters outside Vietnamese (ß, æ,
  // Ø) and symbols that transliterate to letters (©, ½) still go through ICU.
  CHECK(Slugify("Thời hạn “Điều 11” – nộp đơn…") == "thoi-han-dieu-11-nop-don");
  CHECK(Slugify("Ưu tiên: ơn, ư, ỹ") == "uu-tien-on-u-y");
  CHECK(Slugify("Straße Æble Øre") == "strasse-aeble-ore");
  CHECK(Slugify("© ½") == "c-1-2");
  // Khmer letters have no ASCII form (the slug keeps only the digits and Latin around them).
  CHECK(Slugify("ជំហាន 2 step") == "2-step");
}

TEST_CASE("anchor ids fall back to words for Khmer") {
  CHECK(AnchorId("Bước 1: Nộp đơn") == "buoc-1-nop-don");
  std::string khmer = AnchorId("ជំហានទី ១៖ សរសេរពាក្យ");
  CHECK_FALSE(khmer.empty());
  CHECK(khmer.find(' ') == std::string::npos);
  CHECK(khmer.find("ជំហាន") == 0);
}

TEST_CASE("text is normalised to NFC") {
  std::string decomposed = "Vie\xCC\xA3\xCC\x82t";  // e + dot below + circumflex
  CHECK(ToNfc(decomposed) == "Việt");
  CHECK(ToNfc("Việt") == "Việt");
}

TEST_CASE("Vietnamese collation sorts đ after d and accents after the base letter") {
  std::vector<std::string> words = {"Đô Lương", "Long An", "Đạ Tẻh", "Dương", "Ân", "An"};
  std::sort(words.begin(), words.end(), [](const std::string& a, const std::string& b) {
    return CollationKey(a, "vi_VN") < CollationKey(b, "vi_VN");
  });
  CHECK(words == std::vector<std::string>{"An", "Ân", "Dương", "Đạ Tẻh", "Đô Lương", "Long An"});
}

TEST_CASE("summaries are cut on word boundaries, Khmer included") {
  std::string cut = TruncateAtWord("Người được đặc xá cần báo cáo với công an xã", 20, "vi_VN");
  CHECK(cut == "Người được đặc xá…");  // "cần" would make 21 characters
  std::string khmer = "អ្នកដែលទទួលបានលើកលែងទោសពិសេសត្រូវរាយការណ៍ទៅឃុំ";
  std::string khmer_cut = TruncateAtWord(khmer, 12, "km_KH");
  CHECK(khmer_cut.size() < khmer.size());
  CHECK(khmer.rfind(khmer_cut.substr(0, khmer_cut.size() - 3), 0) == 0);  // a prefix of words
  auto words = SplitWords(khmer, "km_KH");
  CHECK(words.size() >= 4);  // ICU's dictionary finds the words between no spaces
  std::string joined;
  for (const auto& w : words) joined += w;
  CHECK(joined == khmer);
  CHECK(TruncateAtWord("short", 20, "en") == "short");
}

TEST_CASE("sentences come from ICU sentence breaks") {
  std::vector<std::string> words;
  auto vi = CountSentencesAndWords("Bạn viết đơn. Gia đình giúp bạn! Rồi chờ?", "vi_VN", &words);
  CHECK(vi.sentences == 3);
  CHECK(vi.words == 9);
  CHECK(words.front() == "Bạn");
  CHECK(words.back() == "chờ");
  // ICU 72 does not end sentences at the Khmer khan; the count does.
  auto khmer = CountSentencesAndWords("អ្នកអាចសុំជំនួយ។ ក្រុមគ្រួសារអាចជួយ។ សូមរក្សាឯកសារ៕", "km_KH");
  CHECK(khmer.sentences == 3);
  CHECK(khmer.words >= 6);
}

TEST_CASE("message catalogs format plurals and dates per locale") {
  MemoryFileSystem fs;
  fs.Add("i18n/en.yaml",
         "count: \"{n, plural, one {# page} other {# pages}}\"\nday: \"{date, date, long}\"\n");
  fs.Add("i18n/vi.yaml", "count: \"{n, plural, other {# trang}}\"\nday: \"{date, date, long}\"\n");
  SiteConfig config;
  config.default_language = "vi";
  config.languages = {{"vi", "Tiếng Việt", "vi_VN", "T"}, {"en", "English", "en_GB", "T"}};
  Diagnostics d;
  auto catalogs = MessageCatalogs::Load(fs, "i18n", config, &d);
  REQUIRE(catalogs.ok());
  SetDisplayTimeZone("Asia/Ho_Chi_Minh");
  CHECK(catalogs->Format("en", "count", {{"n", 1L}}) == "1 page");
  CHECK(catalogs->Format("en", "count", {{"n", 3L}}) == "3 pages");
  CHECK(catalogs->Format("vi", "count", {{"n", 1L}}) == "1 trang");
  auto date = *ParseDateTime("2026-11-20", 420);
  CHECK(catalogs->Format("en", "day", {{"date", date}}) == "20 November 2026");
  CHECK(catalogs->Format("vi", "day", {{"date", date}}) == "20 tháng 11, 2026");
  CHECK(catalogs->Format("en", "missing") == "missing");
}

TEST_CASE("formatted messages are remembered per catalog load, never across loads") {
  SiteConfig config;
  config.default_language = "en";
  config.languages = {{"en", "English", "en_GB", "T"}};
  MemoryFileSystem first_fs, second_fs;
  first_fs.Add("i18n/en.yaml", "count: \"{n, plural, one {# page} other {# pages}}\"\n");
  second_fs.Add("i18n/en.yaml", "count: \"{n, plural, one {# guide} other {# guides}}\"\n");
  Diagnostics d;
  auto first = MessageCatalogs::Load(first_fs, "i18n", config, &d);
  auto second = MessageCatalogs::Load(second_fs, "i18n", config, &d);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->Format("en", "count", {{"n", 2L}}) == "2 pages");
  CHECK(second->Format("en", "count", {{"n", 2L}}) == "2 guides");
  CHECK(first->Format("en", "count", {{"n", 2L}}) == "2 pages");
  CHECK(first->Format("en", "count", {{"n", 1L}}) == "1 page");
}

TEST_CASE("terms are found at word boundaries, every occurrence") {
  std::string text = "dân tù, dân tùng; dân tù\ndân tù";
  CHECK(FindTerm(text, "dân tù", true) == std::vector<size_t>{0, 22, 31});
  CHECK(FindTerm(text, "dân tù", false).size() == 4);
  CHECK(FindTerm(text, "không có", true).empty());
  CHECK(FindTerm("", "x", true).empty());
}

TEST_CASE("catalog errors: bad patterns and missing keys") {
  MemoryFileSystem fs;
  fs.Add("i18n/vi.yaml", "a: \"{n, plural, other {# trang}}\"\nb: ok\n");
  fs.Add("i18n/en.yaml", "a: \"{n, plural, other {# pages}\"\n");
  SiteConfig config;
  config.default_language = "vi";
  config.languages = {{"vi", "V", "vi_VN", "T"}, {"en", "E", "en_GB", "T"}};
  Diagnostics d;
  CHECK_FALSE(MessageCatalogs::Load(fs, "i18n", config, &d).ok());
  std::string text = d.ToString();
  CHECK(text.find("i18n/en.yaml:1: a: invalid ICU MessageFormat pattern") != std::string::npos);
  CHECK(text.find("i18n/en.yaml: b: missing (defined in vi.yaml)") != std::string::npos);
}

TEST_CASE("tokens keep every byte: words and the runs between them") {
  auto tokens = SplitTokens("Bước 2:  Chờ kết quả.", "vi");
  std::string joined;
  std::vector<std::string> words;
  for (const auto& t : tokens) {
    joined += t.text;
    if (t.word) words.push_back(t.text);
  }
  CHECK(joined == "Bước 2:  Chờ kết quả.");
  CHECK(words == std::vector<std::string>{"Bước", "2", "Chờ", "kết", "quả"});
  // ":  " is one run, not three tokens.
  CHECK(tokens[3].text == ":  ");
  CHECK_FALSE(tokens[3].word);
  CHECK(SplitTokens("", "vi").empty());
  // Khmer has no spaces: the words come from ICU's dictionary, and still give the text back.
  const std::string khmer = "ការលើកលែងទោសពិសេស។";
  std::string khmer_joined;
  size_t khmer_words = 0;
  for (const auto& t : SplitTokens(khmer, "km")) {
    khmer_joined += t.text;
    khmer_words += t.word;
  }
  CHECK(khmer_joined == khmer);
  CHECK(khmer_words > 1);
}
