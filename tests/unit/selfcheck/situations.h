#pragma once
// The self-check's situations table (situations.txt) and the real rule set, shared by the
// engine's tests and the built pages' tests.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "selfcheck/engine.h"

namespace clemency::selfcheck_test {

struct Situation {
  std::string text;
  selfcheck::Answers answers;
  std::vector<std::string> order;  // the question ids in the order written
  std::string outcome, verdict, rule, finding;
  int line = 0;
};

inline std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// A malformed line fails the test that reads it, naming the line.
inline std::vector<Situation> Situations() {
  std::ifstream in(std::string(CLEMENCY_SOURCE_DIR) + "/tests/unit/selfcheck/situations.txt");
  REQUIRE(in);
  std::vector<Situation> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    for (size_t start = 0;;) {
      size_t bar = line.find('|', start);
      cells.push_back(Trim(line.substr(start, bar == std::string::npos ? bar : bar - start)));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    INFO("situations.txt:" << number);
    REQUIRE(cells.size() == 6);
    Situation s{cells[0], {}, {}, cells[2], cells[3], cells[4], cells[5], number};
    for (size_t start = 0; start < cells[1].size();) {
      size_t space = cells[1].find(' ', start);
      std::string pair = cells[1].substr(start, space == std::string::npos ? space : space - start);
      size_t eq = pair.find('=');
      REQUIRE(eq != std::string::npos);
      s.answers[pair.substr(0, eq)] = pair.substr(eq + 1);
      s.order.push_back(pair.substr(0, eq));
      start = space == std::string::npos ? cells[1].size() : space + 1;
    }
    out.push_back(std::move(s));
  }
  return out;
}

inline selfcheck::Finding FindingNamed(const std::string& name) {
  if (name == "failed") return selfcheck::Finding::kFailed;
  if (name == "met") return selfcheck::Finding::kMet;
  REQUIRE(name == "unknown");
  return selfcheck::Finding::kUnknown;
}

// The questions that are exclusions in FACTS.md ("Who cannot", Law 30/2018/QH14 Art. 12 and the
// life sentence not commuted), each with the only answer that clears it.
inline const std::vector<std::pair<std::string, std::vector<std::string>>>& Exclusions() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kExclusions = {
      {"sentence", {"fixed", "life-commuted"}},
      {"excluded", {"none"}},
      {"review", {"no"}},
      {"prosecuted", {"no"}},
      {"earlier", {"no"}},
      {"prior", {"none-or-one"}},
  };
  return kExclusions;
}

// site/selfcheck/ of the project, or of CLEMENCY_SELFCHECK_SITE (a site folder holding config.yaml
// and selfcheck/) when set: how these tests were once run against the rules before issue 21.
inline std::string SiteDir() {
  const char* other = std::getenv("CLEMENCY_SELFCHECK_SITE");
  return other && *other ? other : std::string(CLEMENCY_SOURCE_DIR) + "/site";
}

inline const selfcheck::RuleSet& RealRules() {
  static const selfcheck::RuleSet rules = [] {
    DiskFileSystem fs;
    Diagnostics d;
    auto config = LoadSiteConfig(fs, SiteDir() + "/config.yaml", &d);
    INFO(d.ToString());
    REQUIRE(config.ok());
    auto loaded = selfcheck::LoadRuleSet(fs, SiteDir() + "/selfcheck", *config, &d);
    INFO(d.ToString());
    REQUIRE(loaded.ok());
    REQUIRE(d.empty());
    return *loaded;
  }();
  return rules;
}

}  // namespace clemency::selfcheck_test
