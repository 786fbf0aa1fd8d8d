// Word diffs: tokens by ICU word breaks in vi, en and km, HTML escaping, the cost bound.
#include "textdiff/textdiff.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <random>


using namespace clemency;

namespace {

// The text before (equal and removed runs) or after (equal and inserted runs) the change.
std::string Side(const std::vector<DiffOp>& ops, DiffKind changed) {
  std::string out;
  for (const DiffOp& op : ops) {
    if (op.kind == DiffKind::kEqual || op.kind == changed) out += op.text;
  }
  return out;
}

std::vector<DiffOp> Changes(const std::vector<DiffOp>& ops) {
  std::vector<DiffOp> out;
  for (const DiffOp& op : ops) {
    if (op.kind != DiffKind::kEqual) out.push_back(op);
  }
  return out;
}

void CheckRebuilds(const std::string& before, const std::string& after,
                   const std::vector<DiffOp>& ops) {
  CHECK(Side(ops, DiffKind::kRemove) == before);
  CHECK(Side(ops, DiffKind::kInsert) == after);
  for (size_t i = 1; i < ops.size(); ++i) CHECK(ops[i].kind != ops[i - 1].kind);
}

// `count` words "w<n>" (numbered from `first`) joined by spaces.
std::string Words(size_t first, size_t count, const std::string& prefix) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += (i ? " " : "") + prefix + std::to_string(first + i);
  return out;
}

}  // namespace

TEST_CASE("Vietnamese: a changed number is one word removed and one inserted") {
  const std::string before = "Người bị kết án phải chấp hành ít nhất 1/3 thời gian.";
  const std::string after = "Người bị kết án phải chấp hành ít nhất một nửa thời gian.";
  auto ops = WordDiff(before, after, "vi");
  CheckRebuilds(before, after, ops);
  auto changes = Changes(ops);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].kind == DiffKind::kRemove);
  CHECK(changes[0].text == "1/3");
  CHECK(changes[1].kind == DiffKind::kInsert);
  CHECK(changes[1].text == "một nửa");
  CHECK(DiffStats(ops).words_added == 2);    // một, nửa: the space is not a word
  CHECK(DiffStats(ops).words_removed == 2);  // 1 and 3: the slash is not a word
}

TEST_CASE("English: an inserted phrase, and a removed one, keep the rest equal") {
  const std::string before = "You can apply after serving one third of the sentence.";
  const std::string after = "You can apply yourself after serving one third of the sentence.";
  auto ops = WordDiff(before, after, "en");
  CheckRebuilds(before, after, ops);
  REQUIRE(ops.size() == 3);
  CHECK(ops[0] == DiffOp{DiffKind::kEqual, "You can apply ", 3});
  CHECK(ops[1] == DiffOp{DiffKind::kInsert, "yourself ", 1});
  CHECK(ops[2].kind == DiffKind::kEqual);
  auto back = WordDiff(after, before, "en");
  CheckRebuilds(after, before, back);
  REQUIRE(Changes(back).size() == 1);
  CHECK(Changes(back)[0] == DiffOp{DiffKind::kRemove, "yourself ", 1});
  // Identical texts: one equal run; empty ones: nothing.
  CHECK(WordDiff(before, before, "en") == std::vector<DiffOp>{{DiffKind::kEqual, before, 10}});
  CHECK(WordDiff("", "", "en").empty());
  CHECK(WordDiff("", "new", "en") == std::vector<DiffOp>{{DiffKind::kInsert, "new", 1}});
}

TEST_CASE("two neighbouring replacements read as one") {
  auto ops = WordDiff("one two three four", "one six seven four", "en");
  CheckRebuilds("one two three four", "one six seven four", ops);
  REQUIRE(ops.size() == 4);
  CHECK(ops[1] == DiffOp{DiffKind::kRemove, "two three", 2});
  CHECK(ops[2] == DiffOp{DiffKind::kInsert, "six seven", 2});
}

TEST_CASE("Khmer without spaces: an inserted word is found as one insert") {
  // "Prisoners can apply for special amnesty." with "now" (ឥឡូវនេះ) put in.
  const std::string before = "អ្នកទោសអាចដាក់ពាក្យសុំការលើកលែងទោសពិសេស។";
  const std::string after = "អ្នកទោសឥឡូវនេះអាចដាក់ពាក្យសុំការលើកលែងទោសពិសេស។";
  auto ops = WordDiff(before, after, "km");
  CheckRebuilds(before, after, ops);
  auto changes = Changes(ops);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == DiffKind::kInsert);
  CHECK(changes[0].text == "ឥឡូវនេះ");
  // The rest is equal, not the whole sentence replaced.
  CHECK(ops.front() == DiffOp{DiffKind::kEqual, "អ្នកទោស", 1});
  CHECK(ops.back().text.find("ការលើកលែងទោសពិសេស") != std::string::npos);
}

TEST_CASE("diff HTML escapes every text and labels insertions and removals") {
  auto ops = WordDiff("Call <b>now</b>", "Call <script>alert(1)</script> <b>now</b> & wait", "en");
  std::string html = DiffHtml(ops, {"added:", "removed:"});
  INFO(html);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("script&gt;alert(1)&lt;/script") != std::string::npos);
  CHECK(html.find("b&gt;now&lt;/b") != std::string::npos);  // equal text escaped too
  CHECK(html.find("&amp;") != std::string::npos);
  CHECK(html.find("<ins><span class=\"visually-hidden\">added: </span>") != std::string::npos);
  CHECK(html.find("<del><span class=\"visually-hidden\">removed: </span>") != std::string::npos);
  CHECK(html.rfind("Call ", 0) == 0);
  // Without labels, no span.
  CHECK(DiffHtml({{DiffKind::kInsert, "x", 1}}) == "<ins>x</ins>");
  CHECK(DiffHtml({{DiffKind::kRemove, "\"a\"", 1}}) == "<del>&quot;a&quot;</del>");
}

TEST_CASE("two unrelated long texts: past the cost limit, removed and inserted whole, fast") {
  const std::string before = Words(0, 20000, "a"), after = Words(0, 20000, "b");
  const auto start = std::chrono::steady_clock::now();
  auto ops = WordDiff(before, after, "en");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(ops.size() == 2);
  CHECK(ops[0] == DiffOp{DiffKind::kRemove, before, 20000});
  CHECK(ops[1] == DiffOp{DiffKind::kInsert, after, 20000});
  CHECK(seconds < 3.0);  // about 0.1 s; a search to the end would take minutes
  // Without a limit the search goes on to the spaces the two have in common.
  const std::string a = Words(0, 300, "a"), b = Words(0, 300, "b");
  auto unbounded = WordDiff(a, b, "en", std::nullopt);
  CheckRebuilds(a, b, unbounded);
  CHECK(DiffStats(unbounded).words_added == 300);
  CHECK(DiffStats(unbounded).words_removed == 300);
}

TEST_CASE("a few changes in a long text are found exactly, within the limit") {
  std::vector<std::string> words;
  std::mt19937 random(7);
  for (size_t i = 0; i < 20000; ++i) words.push_back("w" + std::to_string(random() % 5000));
  auto join = [](const std::vector<std::string>& w) {
    std::string out;
    for (size_t i = 0; i < w.size(); ++i) out += (i ? " " : "") + w[i];
    return out;
  };
  const std::string before = join(words);
  for (size_t i = 100; i < words.size(); i += 200) words[i] = "changed" + std::to_string(i);
  const std::string after = join(words);
  const auto start = std::chrono::steady_clock::now();
  auto ops = WordDiff(before, after, "en");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CheckRebuilds(before, after, ops);
  CHECK(DiffStats(ops).words_added == 100);
  CHECK(DiffStats(ops).words_removed == 100);
  CHECK(seconds < 3.0);
  // A limit below the change: the middle is replaced whole, but the ends stay equal.
  auto bounded = WordDiff(before, after, "en", 50);
  CheckRebuilds(before, after, bounded);
  REQUIRE(bounded.size() == 4);
  CHECK(bounded[0].kind == DiffKind::kEqual);
  CHECK(bounded[3].kind == DiffKind::kEqual);
}

TEST_CASE("a long text's diff keeps only the paragraphs that changed, with gaps marked") {
  const std::string before = "One.\n\nTwo a.\n\nThree.\n\nFour.\n\nFive b.\n\nSix.";
  const std::string after = "One.\n\nTwo c.\n\nThree.\n\nFour.\n\nFive d.\n\nSix.";
  auto ops = ChangedParagraphs(WordDiff(before, after, "en"), "…");
  REQUIRE(ops.size() == 7);
  CHECK(ops[0].text == "…\n\nTwo ");
  CHECK(ops[1] == DiffOp{DiffKind::kRemove, "a", 1});
  CHECK(ops[2] == DiffOp{DiffKind::kInsert, "c", 1});
  CHECK(ops[3].text == ".\n\n…\n\nFive ");
  CHECK(ops[6].text == ".\n\n…");
  // Neighbouring paragraphs, or one paragraph: nothing left out.
  auto near = WordDiff("One a.\n\nTwo b.", "One c.\n\nTwo d.", "en");
  CHECK(ChangedParagraphs(near, "…") == near);
  auto single = WordDiff("One two three.", "One four three.", "en");
  CHECK(ChangedParagraphs(single, "…") == single);
}
