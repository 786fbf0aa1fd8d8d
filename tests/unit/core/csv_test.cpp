#include "core/csv.h"

#include <catch2/catch.hpp>

using namespace clemency;

TEST_CASE("CSV rows, quotes, doubled quotes, CRLF and line numbers") {
  auto rows = ParseCsv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\n\"two\nlines\",2,3\n");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[0].fields == std::vector<std::string>{"a", "b", "c"});
  CHECK((*rows)[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", ""});
  CHECK((*rows)[1].line == 2);
  CHECK((*rows)[2].fields[0] == "two\nlines");
  CHECK((*rows)[2].line == 4);
}

TEST_CASE("broken quoting is an error with a line") {
  auto unclosed = ParseCsv("a,b\n\"open,2\n");
  REQUIRE_FALSE(unclosed.ok());
  CHECK(unclosed.status().message() == "line 2: a quote is never closed");
  auto stray = ParseCsv("a,b\nx\"y,2\n");
  REQUIRE_FALSE(stray.ok());
  CHECK(stray.status().message() == "line 2: a quote inside an unquoted field");
}

TEST_CASE("fields are quoted only when needed") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
}
