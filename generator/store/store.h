#pragma once
// The SQLite store: one connection, prepared statements only, schema migrations.
// The only module that includes sqlite3.h.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace clemency {

class Statement {
 public:
  Statement(Statement&&) noexcept;
  ~Statement();
  Statement& Bind(int index, const std::string& value);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);
  // Steps once: true when a row is ready. Errors are kept and returned by status().
  bool Step();
  Status Run();  // steps to the end and resets
  void Reset();
  std::string Text(int column) const;
  int64_t Int(int column) const;
  bool IsNull(int column) const;
  Status status() const { return status_; }

 private:
  friend class Store;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status status_;
};

class Store {
 public:
  // Opens (creating if needed) the SQLite file at `path`, or ":memory:", and migrates it to the
  // current schema.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();
  Result<Statement> Prepare(const std::string& sql);
  Status Exec(const std::string& sql);  // for fixed SQL without parameters only
  Status Begin() { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() { return Exec("COMMIT"); }
  Status Rollback() { return Exec("ROLLBACK"); }
  int SchemaVersion();
  const std::string& path() const { return path_; }

 private:
  Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Migrate();
  sqlite3* db_;
  std::string path_;
};

// One published or draft translation as stored: its metadata for lists and queries, its
// source text (front matter + Markdown) and rendered body.
struct PageRow {
  int64_t id = 0;
  std::string section, slug, lang, kind, title, summary;
  std::string published, updated;  // RFC 3339
  int64_t updated_unix = 0;
  bool draft = false;
  int64_t weight = 0;
  std::string source_path, source_text, body_html, body_text, content_hash;
};

class PageRepository {
 public:
  explicit PageRepository(Store* store) : store_(store) {}
  // Inserts or updates by (section, slug, lang); keeps the row id stable across updates.
  Status Upsert(const PageRow& row);
  Result<std::vector<PageRow>> All();
  Result<int64_t> Count();

 private:
  Store* store_;
};

}  // namespace clemency
