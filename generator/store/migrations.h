#pragma once
// The store's schema migrations, used by Store::Open (store.cpp) only.
#include <cstddef>

namespace clemency {

// kMigrations[i] moves the schema from version i to i+1: SQL run in one transaction. Never
// edit one that has shipped; add one at the end.
extern const char* const kMigrations[];
extern const size_t kMigrationCount;

}  // namespace clemency
