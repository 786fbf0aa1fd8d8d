#pragma once
// Small rules the workflow's files share: which states are open, what an If-Match names, and
// how a refusal is made.
#include <cstdint>
#include <string>

#include "core/status.h"
#include "editorial/workflow.h"

namespace clemency {

// draft, submitted, approved or scheduled: the edit can still change or be published.
bool IsOpenState(const std::string& state);
// The version an If-Match value names for edit `id` ("e<id>.<version>", quoted, maybe weak), or -1.
int64_t VersionInETag(const std::string& if_match, int64_t id);
// `key` and `args`: see Refusal.
Refusal Refuse(int status, std::string message, std::string key = "",
               std::map<std::string, std::string> args = {});
// A store error: the person asking can do nothing about it (500).
Refusal StoreFailure(const Status& status);
// How the audit log names an edit: "#<id> <path>".
std::string Subject(const EditRow& edit);
// The detail of an "edit.merge" audit entry: which version only took a merge.
std::string MergeDetail(int64_t version);

}  // namespace clemency
