#include "content/checks.h"

#include <catch2/catch.hpp>

using namespace clemency;

namespace {

Page MakePage(const std::string& lang, const std::string& text) {
  Page page;
  page.lang = lang;
  page.source_path = "content/guides/x." + lang + ".md";
  page.source_text = text;
  return page;
}

std::vector<WordingRule> Rules(const std::string& lang) {
  MemoryFileSystem fs;
  fs.Add("wording/en.yaml",
         "- {term: Ex-Convict, use: person released from prison}\n- {term: criminals, use: people "
         "in prison}\n");
  fs.Add("wording/vi.yaml", "- {term: dân tù, use: người đã ra tù}\n");
  fs.Add("wording/km.yaml", "- {term: អតីតទណ្ឌិត, use: អ្នកដែលបានចេញពីពន្ធនាគារ}\n");
  SiteConfig config;
  config.languages = {
      {"vi", "V", "vi_VN", "T"}, {"en", "E", "en_GB", "T"}, {"km", "K", "km_KH", "T"}};
  Diagnostics d;
  auto rules = LoadWordingRules(fs, "wording", config, &d);
  REQUIRE(d.empty());
  return rules[lang];
}

std::string Wording(const std::string& lang, const std::string& locale, const std::string& text) {
  Diagnostics d;
  CheckWording(MakePage(lang, text), Rules(lang), locale, &d);
  return d.ToString();
}

}  // namespace

TEST_CASE("a stigmatising term is caught with its line and the suggested wording") {
  CHECK(Wording("en", "en_GB", "---\ntitle: Help\n---\nJobs for an EX-CONVICT are rare.\n") ==
        "content/guides/x.en.md:4: wording: 'ex-convict' labels a person by their past; write "
        "'person released from prison'\n");
  CHECK(Wording("vi", "vi_VN", "---\ntitle: Dân tù trở về\n---\nNội dung.\n") ==
        "content/guides/x.vi.md:2: wording: 'dân tù' labels a person by their past; write 'người "
        "đã ra tù'\n");
  CHECK(Wording("km", "km_KH", "---\ntitle: X\n---\nជំនួយសម្រាប់អតីតទណ្ឌិត។\n")
            .find("x.km.md:4: wording:") != std::string::npos);
}

TEST_CASE("whole words only where words are separated by spaces") {
  CHECK(Wording("en", "en_GB", "Criminal records are not cleared.\n") == "");
  CHECK(Wording("en", "en_GB", "Not criminalsation.\n") == "");
  CHECK(Wording("en", "en_GB", "Some call them criminals.\n") != "");
  CHECK(Wording("vi", "vi_VN", "dân tù.\n") != "");
  CHECK(Wording("vi", "vi_VN", "dân tùng\n") == "");
}

TEST_CASE("English is scored by Flesch reading ease") {
  CHECK(CountEnglishSyllables("cat") == 1);
  CHECK(CountEnglishSyllables("amnesty") == 3);
  CHECK(CountEnglishSyllables("make") == 1);
  CHECK(CountEnglishSyllables("table") == 2);
  CHECK(CountEnglishSyllables("wanted") == 2);
  ReadabilityConfig config;
  std::string plain =
      "You can ask for help. The staff will tell you what to do. Your family can help you too. "
      "Keep your papers safe. Go to the commune office soon. They will help you find work.";
  auto easy = ScoreReadability(plain, "en", "en_GB", config);
  REQUIRE(easy.scored);
  CHECK(easy.value > 80);
  CHECK(easy.passes());
  std::string hard =
      "Notwithstanding the aforementioned considerations, rehabilitation necessitates "
      "comprehensive "
      "interdepartmental coordination, institutional accountability, and individualised "
      "documentation procedures administered consistently throughout jurisdictions nationwide.";
  auto score = ScoreReadability(hard, "en", "en_GB", config);
  CHECK(score.scored == false);  // under 30 words: too little to judge
  auto longer = ScoreReadability(hard + " " + hard, "en", "en_GB", config);
  REQUIRE(longer.scored);
  CHECK(longer.value < 0);
  CHECK_FALSE(longer.passes());
  CHECK(longer.Describe().find("Flesch reading ease") == 0);
}

TEST_CASE("Vietnamese is scored by syllables per sentence, Khmer by words per sentence") {
  ReadabilityConfig config;
  std::string vi =
      "Bạn viết đơn xin đặc xá. Gia đình giúp bạn nộp giấy tờ. Trại giam sẽ xét đơn của bạn. "
      "Bạn chờ kết quả. Khi được về, bạn báo với công an xã.";
  auto score = ScoreReadability(vi, "vi", "vi_VN", config);
  REQUIRE(score.scored);
  CHECK(score.sentences == 5);
  CHECK(score.words == 33);  // 6 + 7 + 7 + 4 + 9 syllables
  CHECK(score.value == Approx(6.6));
  CHECK(score.passes());
  std::string km =
      "អ្នកអាចសុំជំនួយ។ ក្រុមគ្រួសាររបស់អ្នកអាចជួយអ្នក។ សូមរក្សាឯកសាររបស់អ្នក។ "
      "សូមទៅការិយាល័យឃុំឱ្យបានឆាប់។ ពួកគេនឹងជួយអ្នករកការងារ។ អ្នកមិននៅម្នាក់ឯងទេ។";
  auto khmer = ScoreReadability(km, "km", "km_KH", config);
  CHECK(khmer.sentences == 6);
  CHECK(khmer.words > 15);
}

TEST_CASE("bare labels are caught, but not inside the legal phrases listed as exceptions") {
  MemoryFileSystem fs;
  fs.Add("wording/vi.yaml",
         "- {term: đối tượng, use: người, except: [đối tượng áp dụng]}\n"
         "- {term: tội phạm, use: người phạm tội, except: [tội phạm chiến tranh]}\n");
  SiteConfig config;
  config.languages = {{"vi", "V", "vi_VN", "T"}};
  Diagnostics d;
  auto rules = LoadWordingRules(fs, "wording", config, &d);
  REQUIRE(d.empty());
  auto check = [&](const std::string& text) {
    Diagnostics found;
    CheckWording(MakePage("vi", text), rules["vi"], "vi_VN", &found);
    return found.ToString();
  };
  CHECK(check("---\ntitle: X\n---\nĐối tượng này đã ra tù.\n") ==
        "content/guides/x.vi.md:4: wording: 'đối tượng' labels a person by their past; write "
        "'người'\n");
  CHECK(check("---\ntitle: X\n---\nMột tội phạm vừa ra tù.\n").find("x.vi.md:4: wording: 'tội phạm'") !=
        std::string::npos);
  // An offence's name and a law's scope are not labels.
  CHECK(check("---\ntitle: X\n---\nCác tội phạm chiến tranh. Đối tượng áp dụng của luật.\n").empty());
  // An exception must hold its term, or it could never apply.
  fs.Add("wording/vi.yaml", "- {term: đối tượng, use: người, except: [người bị hại]}\n");
  Diagnostics bad;
  LoadWordingRules(fs, "wording", config, &bad);
  CHECK(bad.ToString() ==
        "wording/vi.yaml:1: [0].except: 'người bị hại' does not contain the term 'đối tượng'\n");
}

TEST_CASE("one sentence over the language's maximum is reported at its line") {
  ReadabilityConfig config;
  config.vi_max_syllables_in_sentence = 12;
  std::string text =
      "---\ntitle: X\n---\nCâu này ngắn.\n\nĐây là một câu rất dài có hơn mười hai âm tiết để "
      "kiểm tra giới hạn của một câu.\n";
  Page page = MakePage("vi", text);
  page.body_offset = text.find("Câu này");
  page.body_first_line = 4;
  Diagnostics d;
  CheckSentenceLength(page,
                      "Câu này ngắn. Đây là một câu rất dài có hơn mười hai âm tiết để kiểm tra "
                      "giới hạn của một câu.",
                      "vi_VN", config, &d);
  CHECK(d.ToString() ==
        "content/guides/x.vi.md:6: readability: one sentence has 20 syllables (at most 12): 'Đây "
        "là một câu rất dài có hơn mười hai âm tiết để kiểm tra…'; split it\n");
  config.vi_max_syllables_in_sentence = 0;  // off
  Diagnostics none;
  CheckSentenceLength(page, "Đây là một câu rất dài có hơn mười hai âm tiết.", "vi_VN", config,
                      &none);
  CHECK(none.empty());
}

TEST_CASE("raw HTML in a body gives a warning naming its line, not an error") {
  std::string text = "---\ntitle: X\n---\nDòng một.\n\nDòng <b>đậm</b>.\n\n`<i>` trong mã.\n";
  Page page = MakePage("vi", text);
  page.body_offset = text.find("Dòng một");
  page.body_first_line = 4;
  Diagnostics d;
  WarnRawHtml(page, &d);
  CHECK(d.empty());  // nothing stops the build
  CHECK(d.WarningsToString() ==
        "content/guides/x.vi.md:6: body: warning: raw HTML <b> is not published (only Markdown "
        "is); readers see it as plain text — write it in Markdown or remove it\n");
}

TEST_CASE("a support phone becomes an E.164 tel: number") {
  SupportInfo s;
  CHECK(s.PhoneE164().empty());
  s.contact.phone = "0299 3 777 111";
  CHECK(s.PhoneE164() == "+842993777111");
  s.contact.phone = "+84 24 3555 0101";
  CHECK(s.PhoneE164() == "+842435550101");
  s.contact.phone = "(024) 3.555.0101";
  CHECK(s.PhoneE164() == "+842435550101");
}
